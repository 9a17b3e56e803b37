package minio

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// CreateBucket creates bucket (S3 PUT Bucket).
func (s *Server) CreateBucket(t testing.TB, bucket string) {
	t.Helper()
	if _, err := s.do(http.MethodPut, "/"+bucket, nil, nil); err != nil {
		t.Fatalf("creating bucket %s: %v", bucket, err)
	}
}

// PutObject stores data under key in bucket.
func (s *Server) PutObject(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	if _, err := s.do(http.MethodPut, "/"+bucket+"/"+key, nil, data); err != nil {
		t.Fatalf("putting %s/%s: %v", bucket, key, err)
	}
}

// ListObjects returns the keys in bucket that start with prefix ("" for all), in S3 order,
// following continuation tokens.
func (s *Server) ListObjects(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	query := url.Values{"list-type": {"2"}, "prefix": {prefix}}
	for {
		body, err := s.do(http.MethodGet, "/"+bucket, query, nil)
		if err != nil {
			t.Fatalf("listing %s/%s: %v", bucket, prefix, err)
		}
		var page struct {
			Contents []struct {
				Key string `xml:"Key"`
			} `xml:"Contents"`
			IsTruncated           bool   `xml:"IsTruncated"`
			NextContinuationToken string `xml:"NextContinuationToken"`
		}
		if err := xml.Unmarshal(body, &page); err != nil {
			t.Fatalf("listing %s/%s: %v", bucket, prefix, err)
		}
		for _, c := range page.Contents {
			keys = append(keys, c.Key)
		}
		if !page.IsTruncated {
			return keys
		}
		query.Set("continuation-token", page.NextContinuationToken)
	}
}

// do sends a path-style request signed with AWS Signature Version 4 and returns the body of
// a 2xx answer; any other status is an error holding S3's error document.
func (s *Server) do(method, path string, query url.Values, body []byte) ([]byte, error) {
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.URL.RawQuery = canonicalQuery(query)
	s.sign(req, body, time.Now().UTC())
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, answer)
	}
	return answer, nil
}

// sign adds the SigV4 headers (x-amz-date, x-amz-content-sha256, Authorization) for service s3.
func (s *Server) sign(req *http.Request, body []byte, now time.Time) {
	amzDate := now.Format("20060102T150405Z")
	day := now.Format("20060102")
	payloadHash := sha256Hex(body)
	req.Header.Set("x-amz-date", amzDate)
	req.Header.Set("x-amz-content-sha256", payloadHash)

	const signedHeaders = "host;x-amz-content-sha256;x-amz-date"
	canonicalRequest := strings.Join([]string{
		req.Method,
		awsEscape(req.URL.Path, false),
		req.URL.RawQuery,
		"host:" + req.URL.Host + "\n" +
			"x-amz-content-sha256:" + payloadHash + "\n" +
			"x-amz-date:" + amzDate + "\n",
		signedHeaders,
		payloadHash,
	}, "\n")
	scope := day + "/" + s.Region + "/s3/aws4_request"
	stringToSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex([]byte(canonicalRequest))
	key := []byte("AWS4" + s.SecretKey)
	for _, part := range []string{day, s.Region, "s3", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	signature := hex.EncodeToString(hmacSHA256(key, stringToSign))
	req.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
		s.AccessKey, scope, signedHeaders, signature))
}

// canonicalQuery is SigV4's canonical query string: keys sorted, both sides escaped; the same
// string is sent, so no re-encoding can make them differ.
func canonicalQuery(query url.Values) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range query[k] {
			parts = append(parts, awsEscape(k, true)+"="+awsEscape(v, true))
		}
	}
	return strings.Join(parts, "&")
}

// awsEscape percent-encodes everything but SigV4's unreserved characters (and '/' in a path).
func awsEscape(s string, encodeSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}
