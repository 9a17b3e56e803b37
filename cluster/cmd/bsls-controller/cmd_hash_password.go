package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/guestbackup/guestbackup/cluster/internal/userlist"
)

func init() {
	register("hash-password", subcommand{
		summary: "read a password on stdin, print its kopia password hash (for the user list)",
		run:     runHashPassword,
	})
}

// runHashPassword prints the kopia hash of the password on the first line of stdin, or with
// --user the whole user list line. The password never comes from argv, which other users of
// the machine can read.
func runHashPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("hash-password", flag.ContinueOnError)
	flags.SetOutput(stderr)
	user := flags.String("user", "", "print a whole users-file line `user@host:<hash>` for this user")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: bsls-controller hash-password [--user user@host] < password\n\n"+
			"Reads the password from the first line of stdin (prompting without echo on a terminal)\n"+
			"and prints kopia's password hash (version 1, scrypt), the value of a users-file line.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 0 {
		// Not echoed: it may well be the password.
		fmt.Fprintln(stderr, "hash-password: takes no arguments; the password is read from stdin")
		return 2
	}
	if *user != "" {
		if err := userlist.CheckName(*user); err != nil {
			fmt.Fprintf(stderr, "hash-password: --user: %v\n", err)
			return 2
		}
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hash-password: %v\n", err)
		return 1
	}
	hash, err := userlist.HashPassword(password)
	if err != nil {
		fmt.Fprintf(stderr, "hash-password: %v\n", err)
		return 1
	}
	if *user != "" {
		fmt.Fprintf(stdout, "%s:%s\n", *user, hash)
	} else {
		fmt.Fprintln(stdout, hash)
	}
	return 0
}

// readPassword returns the first line of stdin without its line ending. On a terminal it
// prompts on stderr and does not echo. An empty password is refused.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password from the terminal: %w", err)
		}
		return nonEmpty(string(b))
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from stdin: %w", err)
	}
	return nonEmpty(strings.TrimRight(line, "\r\n"))
}

func nonEmpty(password string) (string, error) {
	if password == "" {
		return "", errors.New("empty password on stdin (give it on the first line)")
	}
	return password, nil
}
