package main

// The server pods' image when a server names none: by default the controller's own, so that an
// admin who points config/default's `images:` entry at their registry gets the server pods from
// there too, and controller and servers always run the same build.

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// managerContainer is the controller's container in config/manager/manager.yaml.
const managerContainer = "manager"

// serverImage returns the --image flag when given; else, when the downward API named the
// controller's pod (POD_NAMESPACE, POD_NAME), the image of its container "manager"; else
// render.DefaultImage (the controller run outside a pod, as in development). It also says where
// the image came from, for the log.
func serverImage(ctx context.Context, reader client.Reader, flag, namespace, name string) (image, from string, err error) {
	if flag != "" {
		return flag, "--image", nil
	}
	if namespace == "" || name == "" {
		return render.DefaultImage, "the built-in default (no POD_NAMESPACE/POD_NAME)", nil
	}
	var pod corev1.Pod
	if err := reader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &pod); err != nil {
		return "", "", fmt.Errorf("reading the controller's own pod %s/%s for the server image (or give --image): %w",
			namespace, name, err)
	}
	for _, c := range pod.Spec.Containers {
		if c.Name == managerContainer {
			return c.Image, fmt.Sprintf("container %q of the pod %s/%s", managerContainer, namespace, name), nil
		}
	}
	return "", "", fmt.Errorf("the controller's own pod %s/%s has no container %q to take the server image from (give --image)",
		namespace, name, managerContainer)
}
