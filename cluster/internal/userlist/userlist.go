// Package userlist reads the Kopia server's user list (docs/server-pod.md "Users file"): one
// `user@host:<kopia password hash>` per line, and makes the hashes `bsls-controller
// hash-password` prints. It never includes a password or hash in an error.
package userlist

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Entry is one user of the list.
type Entry struct {
	// Name is user@host, as kopia names users.
	Name string
	// Hash is the encoded password hash, as `kopia server user add --user-password-hash` takes it.
	Hash string
	// Line is the 1-based line of the entry in its source.
	Line int
}

// validName is kopia v0.23.1's validUsernameRegexp (internal/user/user_manager.go).
var validName = regexp.MustCompile(`^[a-z0-9\-_.]+@[a-z0-9\-_.]+$`)

// Problem is one refused line.
type Problem struct {
	Line    int
	Message string
}

// Error lists every problem of a user list, each as `source:LINE: message`.
type Error struct {
	Source   string
	Problems []Problem
}

// Error joins the problems with "; " so that the whole list fits in one status message.
func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("%s:%d: %s", e.Source, p.Line, p.Message)
	}
	return strings.Join(parts, "; ")
}

// Parse reads a user list. source names it in messages (a file name). Blank lines and lines
// starting with '#' (after leading blanks) are skipped; surrounding blanks and a trailing '\r'
// are ignored. On any problem it returns nil and an *Error listing all of them.
func Parse(data []byte, source string) ([]Entry, error) {
	var entries []Entry
	var problems []Problem
	firstLine := map[string]int{}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		lineNo := i + 1
		line := strings.TrimSpace(string(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		entry, msg := parseLine(line, lineNo)
		if msg == "" {
			if first, seen := firstLine[entry.Name]; seen {
				msg = fmt.Sprintf("duplicate user %q (first on line %d)", entry.Name, first)
			} else {
				firstLine[entry.Name] = lineNo
			}
		}
		if msg != "" {
			problems = append(problems, Problem{Line: lineNo, Message: msg})
			continue
		}
		entries = append(entries, entry)
	}
	if len(problems) > 0 {
		return nil, &Error{Source: source, Problems: problems}
	}
	return entries, nil
}

// CheckName says why name is not a user name kopia accepts, or returns nil.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("%q is not a kopia user name: it must be lowercase user@host "+
			"of letters, digits, '-', '_' and '.'", name)
	}
	return nil
}

// parseLine returns the entry of a non-blank, non-comment line, or a message saying why it is
// refused. The message quotes the name (never secret) but not the value.
func parseLine(line string, lineNo int) (Entry, string) {
	name, hash, found := strings.Cut(line, ":")
	name, hash = strings.TrimSpace(name), strings.TrimSpace(hash)
	if !found {
		return Entry{}, "expected user@host:<password hash>; use `bsls-controller hash-password --user user@host`"
	}
	if err := CheckName(name); err != nil {
		return Entry{}, err.Error()
	}
	if hash == "" {
		return Entry{}, fmt.Sprintf("user %q has no password hash after ':'; use `bsls-controller hash-password`", name)
	}
	if _, err := DecodeHash(hash); err != nil {
		return Entry{}, fmt.Sprintf("user %q: %v", name, err)
	}
	return Entry{Name: name, Hash: hash, Line: lineNo}, ""
}
