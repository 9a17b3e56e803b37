package render

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// AWSCredentials are the static keys of one profile of an AWS shared credentials file.
type AWSCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// DefaultAWSProfile is used when the BSL has no config.profile (Velero's awsDefaultProfile,
// pkg/repository/config/aws.go).
const DefaultAWSProfile = "default"

// ParseAWSCredentials returns the static keys of profile in an AWS ini file: the content of the
// BSL's credential Secret key (OADP: `cloud-credentials`/`cloud`). Velero hands that file to the
// AWS SDK as both the shared credentials file and the shared config file
// (pkg/repository/config/aws.go GetS3Credentials), so a profile may be written `[name]` or
// `[profile name]`. Only static keys are supported: role_arn, credential_process and web
// identity need calls to AWS that a pure render cannot make. Fails with ReasonCredentialsInvalid
// naming the profile when it is absent or lacks aws_access_key_id or aws_secret_access_key.
func ParseAWSCredentials(ini []byte, profile string) (AWSCredentials, error) {
	if profile == "" {
		profile = DefaultAWSProfile
	}
	sections := parseINI(ini)
	keys, ok := sections[profile]
	if !ok {
		keys, ok = sections["profile "+profile]
	}
	if !ok {
		return AWSCredentials{}, errorf(ReasonCredentialsInvalid,
			fmt.Sprintf("the credentials file has no profile %q", profile))
	}
	creds := AWSCredentials{
		AccessKeyID:     keys["aws_access_key_id"],
		SecretAccessKey: keys["aws_secret_access_key"],
		SessionToken:    keys["aws_session_token"],
	}
	var missing []string
	if creds.AccessKeyID == "" {
		missing = append(missing, "aws_access_key_id")
	}
	if creds.SecretAccessKey == "" {
		missing = append(missing, "aws_secret_access_key")
	}
	if len(missing) > 0 {
		return AWSCredentials{}, errorf(ReasonCredentialsInvalid,
			fmt.Sprintf("profile %q of the credentials file has no %s (only static keys are supported)",
				profile, strings.Join(missing, " or ")))
	}
	return creds, nil
}

// parseINI reads `[section]` headers and `key = value` lines; keys are lower-cased (the AWS SDK
// treats them case-insensitively), '#' and ';' start comment lines, and a later duplicate wins.
// Section names keep inner spaces collapsed to one so `[profile  x]` matches `profile x`.
func parseINI(data []byte) map[string]map[string]string {
	sections := map[string]map[string]string{}
	var current map[string]string
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
			if sections[name] == nil {
				sections[name] = map[string]string{}
			}
			current = sections[name]
		default:
			key, value, ok := strings.Cut(line, "=")
			if !ok || current == nil {
				continue
			}
			current[strings.ToLower(strings.TrimSpace(key))] = strings.TrimSpace(value)
		}
	}
	return sections
}
