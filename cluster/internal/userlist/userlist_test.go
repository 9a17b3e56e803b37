package userlist

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// encode builds an encoded hash of n salt+key bytes with the given version, as kopia would.
func encode(version, n int) string {
	raw := make([]byte, n)
	for i := range raw {
		raw[i] = byte(i)
	}
	j := fmt.Sprintf(`{"passwordHashVersion":%d,"passwordHash":%q}`, version,
		base64.StdEncoding.EncodeToString(raw))
	return base64.StdEncoding.EncodeToString([]byte(j))
}

var (
	scryptHash = encode(1, 64)
	pbkdf2Hash = encode(2, 64)
)

func TestParseAcceptsCommentsBlanksAndCRLF(t *testing.T) {
	data := "# users of the backup server\n" +
		"\n" +
		"alice@vm-1:" + scryptHash + "\r\n" +
		"   # indented comment\n" +
		"  bob.smith@db_2.example : " + pbkdf2Hash + "  \n" +
		"\t\n"
	got, err := Parse([]byte(data), "users")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Entry{
		{Name: "alice@vm-1", Hash: scryptHash, Line: 3},
		{Name: "bob.smith@db_2.example", Hash: pbkdf2Hash, Line: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v, want %+v", got, want)
	}
}

func TestParseEmptyListIsValid(t *testing.T) {
	got, err := Parse([]byte("# nobody yet\n"), "users")
	if err != nil || len(got) != 0 {
		t.Errorf("Parse = %v, %v; want no entries and no error", got, err)
	}
}

func TestParseRefusals(t *testing.T) {
	const plain = "the value is not a kopia password hash; it looks like a plain password; " +
		"use `bsls-controller hash-password`"
	for _, tc := range []struct {
		name, line, want string
	}{
		{"no colon", "alice@vm-1 hunter2",
			"users:1: expected user@host:<password hash>; use `bsls-controller hash-password --user user@host`"},
		{"uppercase name", "Alice@vm-1:" + scryptHash,
			`users:1: "Alice@vm-1" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'`},
		{"no host", "alice:" + scryptHash,
			`users:1: "alice" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'`},
		{"space in name", "al ice@vm:" + scryptHash,
			`users:1: "al ice@vm" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'`},
		{"empty hash", "alice@vm-1:",
			"users:1: user \"alice@vm-1\" has no password hash after ':'; use `bsls-controller hash-password`"},
		{"plain password", "alice@vm-1:hunter2", `users:1: user "alice@vm-1": ` + plain},
		{"base64 but not JSON", "alice@vm-1:" + base64.StdEncoding.EncodeToString([]byte("correct horse")),
			`users:1: user "alice@vm-1": ` + plain},
		{"password with colons", "alice@vm-1:pa:ss:word", `users:1: user "alice@vm-1": ` + plain},
		{"unsupported version", "alice@vm-1:" + encode(3, 64),
			"users:1: user \"alice@vm-1\": password hash version 3 is not supported by kopia v0.23.1 " +
				"(1 = scrypt, 2 = pbkdf2); use `bsls-controller hash-password`"},
		{"short hash", "alice@vm-1:" + encode(1, 32),
			"users:1: user \"alice@vm-1\": password hash holds 32 bytes of salt and key; kopia expects 64; " +
				"use `bsls-controller hash-password`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := Parse([]byte(tc.line+"\n"), "users")
			if err == nil {
				t.Fatalf("Parse accepted %q: %+v", tc.line, entries)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
			if entries != nil {
				t.Errorf("entries = %+v, want nil on error", entries)
			}
		})
	}
}

func TestParseReportsEveryProblemWithLines(t *testing.T) {
	data := strings.Join([]string{
		"# team",
		"alice@vm-1:" + scryptHash,
		"bob@vm-2:s3cret-Passw0rd",
		"alice@vm-1:" + pbkdf2Hash,
		"",
		"Carol@vm-3:" + scryptHash,
		"alice@vm-1:" + scryptHash,
	}, "\n")
	_, err := Parse([]byte(data), "/etc/bsls/users/users")
	var listErr *Error
	if !errors.As(err, &listErr) {
		t.Fatalf("error %v is not an *Error", err)
	}
	want := []Problem{
		{3, `user "bob@vm-2": the value is not a kopia password hash; it looks like a plain password; use ` +
			"`bsls-controller hash-password`"},
		{4, `duplicate user "alice@vm-1" (first on line 2)`},
		{6, `"Carol@vm-3" is not a kopia user name: it must be lowercase user@host of letters, digits, '-', '_' and '.'`},
		{7, `duplicate user "alice@vm-1" (first on line 2)`},
	}
	if !reflect.DeepEqual(listErr.Problems, want) {
		t.Errorf("problems\n got: %+v\nwant: %+v", listErr.Problems, want)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "/etc/bsls/users/users:3: ") ||
		!strings.Contains(msg, "; /etc/bsls/users/users:7: duplicate") {
		t.Errorf("message does not name each line with its source: %s", msg)
	}
	if strings.Contains(msg, "s3cret") || strings.Contains(msg, scryptHash[:20]) {
		t.Errorf("message echoes a secret: %s", msg)
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"a@b", "backup-1@vm_2.example.com", "x.y-z_0@h"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		}
	}
	for _, name := range []string{"", "a", "a@", "@b", "a@b@c", "A@b", "a@B", "a b@c", "a@b\n", "ä@b"} {
		if err := CheckName(name); err == nil {
			t.Errorf("CheckName(%q) = nil, want an error", name)
		}
	}
}
