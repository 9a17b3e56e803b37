package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

func init() {
	register("manager", subcommand{
		summary: "run the BackupStorageLocationServer controller",
		run:     runManager,
	})
}

// managerOptions are the flags of `bsls-controller manager`.
type managerOptions struct {
	metricsAddress  string
	probeAddress    string
	leaderElect     bool
	leaderNamespace string
	image           string
	zap             zap.Options
}

func (o *managerOptions) bind(flags *flag.FlagSet) {
	flags.StringVar(&o.metricsAddress, "metrics-bind-address", ":8080",
		"address of the Prometheus metrics endpoint (plain HTTP); 0 disables it")
	flags.StringVar(&o.probeAddress, "health-probe-bind-address", ":8081",
		"address of the /healthz and /readyz endpoints")
	flags.BoolVar(&o.leaderElect, "leader-elect", false,
		"elect a leader through a Lease, so that only one replica reconciles")
	flags.StringVar(&o.leaderNamespace, "leader-election-namespace", "",
		"namespace of the Lease; empty means the namespace the controller runs in")
	flags.StringVar(&o.image, "image", "",
		"image of the Kopia server pod when a server's spec.image is empty; by default the image of "+
			"this controller's own container (POD_NAMESPACE/POD_NAME from the downward API), outside a "+
			"pod "+render.DefaultImage)
	o.zap.BindFlags(flags)
}

// runManager runs the controller until SIGTERM or SIGINT. Exit codes: 0 after a clean stop,
// 1 when the manager fails, 2 for bad flags.
func runManager(args []string, _ io.Reader, _, stderr io.Writer) int {
	return runManagerUntil(args, stderr, ctrl.SetupSignalHandler)
}

// runManagerUntil is runManager stopping when the context from until ends; until is called only
// once the flags are valid (the signal handler can be set up once per process).
func runManagerUntil(args []string, stderr io.Writer, until func() context.Context) int {
	flags := flag.NewFlagSet("manager", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var opts managerOptions
	opts.bind(flags)
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 0 {
		fmt.Fprintf(stderr, "manager: unexpected arguments %q\n", flags.Args())
		return 2
	}
	opts.zap.DestWriter = stderr
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&opts.zap)))
	log := ctrl.Log.WithName("manager")

	if err := startManager(until(), opts); err != nil {
		log.Error(err, "the manager stopped")
		return 1
	}
	return 0
}

func startManager(ctx context.Context, opts managerOptions) error {
	scheme, err := controller.NewScheme()
	if err != nil {
		return err
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading the kubeconfig: %w", err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme,
		Cache:                   controller.CacheOptions(),
		Metrics:                 metricsserver.Options{BindAddress: opts.metricsAddress},
		HealthProbeBindAddress:  opts.probeAddress,
		LeaderElection:          opts.leaderElect,
		LeaderElectionID:        controller.LeaderElectionID,
		LeaderElectionNamespace: opts.leaderNamespace,
		// Step down at once on SIGTERM, so a new replica takes over without waiting for the
		// Lease to expire; the process exits right after.
		LeaderElectionReleaseOnCancel: true,
	})
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	image, from, err := serverImage(ctx, mgr.GetAPIReader(), opts.image, os.Getenv("POD_NAMESPACE"), os.Getenv("POD_NAME"))
	if err != nil {
		return err
	}
	ctrl.Log.WithName("manager").Info("server pods run "+image, "from", from)
	if err := controller.SetupWithManager(mgr, controller.Options{Image: image}); err != nil {
		return fmt.Errorf("setting up the controller: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	return mgr.Start(ctx)
}
