// Command bsls-controller is the BackupStorageLocationServer controller and the helper commands
// its server pod runs (DESIGN.md §5). Each subcommand lives in its own cmd_*.go file and
// registers itself; the work is done by the internal packages.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// subcommand is one `bsls-controller NAME ...` entry point. run gets the arguments after NAME
// and returns the process exit code.
type subcommand struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var subcommands = map[string]subcommand{}

// register is called from the init function of each cmd_*.go file.
func register(name string, cmd subcommand) {
	if _, taken := subcommands[name]; taken {
		panic("bsls-controller: subcommand registered twice: " + name)
	}
	subcommands[name] = cmd
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "bsls-controller: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bsls-controller COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-14s %s\n", name, subcommands[name].summary)
	}
	fmt.Fprintln(w, "\nRun `bsls-controller COMMAND --help` for the flags of a command.")
}
