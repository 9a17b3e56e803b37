package controller

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// readDeployment returns the server's Deployment from the cache, nil when it does not exist.
func (r *BackupStorageLocationServerReconciler) readDeployment(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*appsv1.Deployment, error) {
	key := types.NamespacedName{Namespace: server.Namespace, Name: render.DeploymentName(server)}
	deployment := &appsv1.Deployment{}
	if err := r.Get(ctx, key, deployment); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading Deployment %s: %w", key, err)
	}
	return deployment, nil
}

// deploymentState summarizes a Deployment's status; nil means it does not exist.
func deploymentState(d *appsv1.Deployment) DeploymentState {
	if d == nil {
		return DeploymentState{}
	}
	replicas := int32(1)
	if d.Spec.Replicas != nil {
		replicas = *d.Spec.Replicas
	}
	s := d.Status
	return DeploymentState{
		Exists:    true,
		Available: s.AvailableReplicas > 0,
		RolledOut: s.ObservedGeneration >= d.Generation && s.UpdatedReplicas == replicas &&
			s.Replicas == replicas,
	}
}

// podFailure returns the failure a container of one of the server's pods reported, or nil.
func (r *BackupStorageLocationServerReconciler) podFailure(ctx context.Context,
	server *v1alpha1.BackupStorageLocationServer) (*Failure, error) {
	pods := &corev1.PodList{}
	if err := r.List(ctx, pods, client.InNamespace(server.Namespace),
		client.MatchingLabels(render.SelectorLabels(server))); err != nil {
		return nil, fmt.Errorf("listing the pods of %s/%s: %w", server.Namespace, server.Name, err)
	}
	// Newest first: after a fix, the new pod's state is the one that matters.
	sort.Slice(pods.Items, func(i, j int) bool {
		return pods.Items[j].CreationTimestamp.Before(&pods.Items[i].CreationTimestamp)
	})
	for i := range pods.Items {
		if f := PodFailure(&pods.Items[i]); f != nil {
			return f, nil
		}
	}
	return nil, nil
}

// PodFailure reads the server pod's init and user-sync containers (docs/server-pod.md): a
// container that exited non-zero and has not since started again reports its last termination
// message line, `<Reason>: <message>`. A pod being deleted reports nothing.
func PodFailure(pod *corev1.Pod) *Failure {
	if pod.DeletionTimestamp != nil {
		return nil
	}
	for _, statuses := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for i := range statuses {
			status := &statuses[i]
			if status.Name != render.ContainerInit && status.Name != render.ContainerUserSync {
				continue
			}
			if term := failedTermination(status); term != nil {
				return terminationFailure(pod.Name, status.Name, term)
			}
		}
	}
	return nil
}

// failedTermination is the non-zero exit a container is stuck on: it is terminated now, or
// waiting to restart (CrashLoopBackOff) after it. A container that runs again, or exited 0, has
// nothing to report even if an older run failed.
func failedTermination(status *corev1.ContainerStatus) *corev1.ContainerStateTerminated {
	if term := status.State.Terminated; term != nil {
		if term.ExitCode != 0 {
			return term
		}
		return nil
	}
	if status.State.Waiting != nil {
		if term := status.LastTerminationState.Terminated; term != nil && term.ExitCode != 0 {
			return term
		}
	}
	return nil
}

// reasonLine is the `<Reason>: <message>` line the pod's commands print last.
var reasonLine = regexp.MustCompile(`^([A-Z][A-Za-z0-9]*): (.+)$`)

// podReasons are the reasons the pod's commands report; anything else in a termination message
// (with FallbackToLogsOnError it may be the tail of any log) is not copied into the status.
var podReasons = map[string]bool{ReasonRepositoryInitFailed: true, ReasonUserListInvalid: true}

func terminationFailure(pod, container string, term *corev1.ContainerStateTerminated) *Failure {
	lines := strings.Split(strings.TrimRight(term.Message, "\n"), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if m := reasonLine.FindStringSubmatch(last); m != nil && podReasons[m[1]] {
		return &Failure{Reason: m[1], Container: container,
			Message: fmt.Sprintf("container %s of pod %s: %s", container, pod, m[2])}
	}
	return &Failure{Reason: ReasonContainerFailed, Container: container,
		Message: fmt.Sprintf("container %s of pod %s exited with code %d (%s)", container, pod, term.ExitCode, term.Reason)}
}
