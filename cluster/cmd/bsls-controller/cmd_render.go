package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/internal/dryrun"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

func init() {
	register("render", subcommand{
		summary: "print, offline, the objects the controller would apply for a server (a dry run)",
		run:     runRender,
	})
}

// fileList is a repeatable -f flag.
type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(v string) error { *f = append(*f, v); return nil }

// Exit codes of `render`.
const (
	renderOK         = 0
	renderFailed     = 1 // an input object is missing or invalid, or a file cannot be read
	renderUsageError = 2
)

// runRender reads the server, its BSL and their Secrets from files and prints what the
// controller would apply, as a YAML stream in apply order.
func runRender(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("render", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var files fileList
	flags.Var(&files, "f", "a YAML `FILE` of objects (several documents allowed); repeatable")
	name := flags.String("name", "", "the server to render, `NAME` or NAMESPACE/NAME, when the files hold several")
	namespace := flags.String("n", "default", "the `NAMESPACE` of objects that have none, as kubectl would apply them")
	image := flags.String("image", render.DefaultImage, "the server `IMAGE` when spec.image is empty")
	showSecrets := flags.Bool("show-secrets", false, "print Secret values instead of <redacted: N bytes>")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: bsls-controller render -f FILE [-f FILE ...] [--name NAME] [--image IMAGE] [--show-secrets]\n\n"+
			"Reads a BackupStorageLocationServer, its Velero BackupStorageLocation, the BSL's credential\n"+
			"Secret and the TLS Secret from the files and prints the objects the controller would apply,\n"+
			"in apply order. Without spec.tls and a <name>-tls Secret, a self-signed certificate is\n"+
			"generated and its Secret printed too. Nothing is sent to a cluster.\n\n"+
			"Exit status: 0 printed, 1 an object is missing or invalid, 2 usage error.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return renderOK
		}
		return renderUsageError
	}
	if len(files) == 0 || flags.NArg() != 0 {
		flags.Usage()
		return renderUsageError
	}

	result, err := renderFiles(files, *name, *namespace, *image)
	if err != nil {
		fmt.Fprintf(stderr, "render: %v\n", err)
		var ambiguous *dryrun.AmbiguousError
		if errors.As(err, &ambiguous) {
			return renderUsageError
		}
		return renderFailed
	}
	fmt.Fprint(stdout, result.header)
	if err := dryrun.Print(stdout, result.objects, *showSecrets); err != nil {
		fmt.Fprintf(stderr, "render: %v\n", err)
		return renderFailed
	}
	return renderOK
}

// rendered is what `render` prints: a comment header with the status values, then the objects.
type rendered struct {
	header  string
	objects []client.Object
}

// renderFiles returns the objects to print: a generated TLS Secret when the controller would
// make one, then the rendered objects in apply order.
func renderFiles(files []string, name, namespace, image string) (*rendered, error) {
	docs, err := dryrun.Load(files, namespace)
	if err != nil {
		return nil, err
	}
	server, err := docs.Server(name)
	if err != nil {
		return nil, err
	}
	in, err := docs.Inputs(server, image)
	if err != nil {
		return nil, err
	}
	var generated []client.Object
	if in.TLSCertPEM == nil {
		certPEM, keyPEM, err := tlscert.GenerateSelfSigned(render.ServerDNSNames(server), time.Now())
		if err != nil {
			return nil, err
		}
		in.TLSCertPEM = certPEM
		generated = append(generated, render.GeneratedTLSSecret(server, certPEM, keyPEM))
	}
	objects, err := render.Render(in)
	if err != nil {
		// A *render.Error reads "<Reason>: <message>", the form of the controller's condition.
		return nil, fmt.Errorf("BackupStorageLocationServer %s/%s: %w", server.Namespace, server.Name, err)
	}
	header := fmt.Sprintf("# BackupStorageLocationServer %s/%s\n# serviceURL: %s\n# tlsFingerprint: %s\n",
		server.Namespace, server.Name, objects.ServiceURL, objects.TLSFingerprint)
	if server.UID == "" {
		header += "# The server has no metadata.uid (it was read from a file): the ownerReferences below\n" +
			"# lack it; the controller sets it.\n"
	}
	header += fmt.Sprintf("# The controller also creates Secret %s/%s (the server-control credentials).\n",
		server.Namespace, render.ControlSecretName(server))
	return &rendered{header: header, objects: append(generated, objects.List()...)}, nil
}
