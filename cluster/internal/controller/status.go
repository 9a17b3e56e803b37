package controller

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

// Condition types of a BackupStorageLocationServer (DESIGN.md §5).
const (
	ConditionReady       = "Ready"
	ConditionAvailable   = "Available"
	ConditionProgressing = "Progressing"
	ConditionDegraded    = "Degraded"
)

// Reasons the controller itself sets. Input and render failures use the reasons of their
// Failure (BSLNotFound, CredentialsInvalid, … and render's reasons); pod failures use the reason
// the pod's command printed (docs/server-pod.md).
const (
	ReasonBSLNotFound               = "BSLNotFound"
	ReasonCredentialsInvalid        = "CredentialsInvalid"
	ReasonRepositoryPasswordMissing = "RepositoryPasswordMissing"
	ReasonUserListInvalid           = "UserListInvalid"
	ReasonTLSSecretInvalid          = "TLSSecretInvalid"
	ReasonRepositoryInitFailed      = "RepositoryInitFailed"
	// ReasonContainerFailed: a container of the server pod failed without a `<Reason>: ` line.
	ReasonContainerFailed = "ContainerFailed"

	ReasonAsExpected            = "AsExpected"
	ReasonServerReady           = "ServerReady"
	ReasonDeploymentAvailable   = "DeploymentAvailable"
	ReasonDeploymentUnavailable = "DeploymentUnavailable"
	ReasonDeploymentNotCreated  = "DeploymentNotCreated"
	ReasonRollingOut            = "RollingOut"
	ReasonRolloutComplete       = "RolloutComplete"
	ReasonBlocked               = "Blocked"
)

// Failure is why the server cannot run as specified: an input the user must create or fix, or
// a container of the server pod that failed. Message names the object, key, field or users
// file line concerned and never holds a secret value.
type Failure struct {
	Reason  string
	Message string
	// Container is the server pod's container that reported the failure; empty for inputs.
	Container string
}

// DeploymentState is what the server's Deployment reports.
type DeploymentState struct {
	Exists bool
	// Available: at least one replica is available (the init container succeeded and the
	// server answers its readiness probe).
	Available bool
	// RolledOut: the Deployment controller has seen the current spec and every replica runs it.
	RolledOut bool
}

// Observation is what one reconcile learned; Status turns it into the status fields.
type Observation struct {
	Generation int64
	Now        metav1.Time
	// Failure is the first failure found, inputs first, then the pod; nil when none.
	Failure *Failure
	// Applied: the rendered objects were applied, so ServiceURL and TLSFingerprint are current.
	Applied        bool
	ServiceURL     string
	TLSFingerprint string
	Deployment     DeploymentState
}

// Status returns the status that describes obs, starting from prev so that a condition whose
// status did not change keeps its lastTransitionTime. It does not modify prev.
func Status(prev v1alpha1.BackupStorageLocationServerStatus, obs Observation) v1alpha1.BackupStorageLocationServerStatus {
	next := *prev.DeepCopy()
	next.ObservedGeneration = obs.Generation
	// Without a fresh render the last applied values still describe the running server.
	if obs.Applied {
		next.ServiceURL = obs.ServiceURL
		next.TLSFingerprint = obs.TLSFingerprint
	}
	next.RepositoryStatus = repositoryStatus(prev.RepositoryStatus, obs)

	for _, c := range []condition{
		ready(obs, next.ServiceURL), available(obs), progressing(obs), degraded(obs),
	} {
		meta.SetStatusCondition(&next.Conditions, metav1.Condition{
			Type: c.conditionType, Status: c.status, Reason: c.reason, Message: c.message,
			ObservedGeneration: obs.Generation, LastTransitionTime: obs.Now,
		})
	}
	return next
}

// condition is the part of a metav1.Condition that an observation decides.
type condition struct {
	conditionType string
	status        metav1.ConditionStatus
	reason        string
	message       string
}

func degraded(obs Observation) condition {
	if f := obs.Failure; f != nil {
		return condition{ConditionDegraded, metav1.ConditionTrue, f.Reason, f.Message}
	}
	return condition{ConditionDegraded, metav1.ConditionFalse, ReasonAsExpected, "no failure observed"}
}

func available(obs Observation) condition {
	switch d := obs.Deployment; {
	case d.Available:
		return condition{ConditionAvailable, metav1.ConditionTrue, ReasonDeploymentAvailable, "the Kopia server has an available replica"}
	case d.Exists:
		return condition{ConditionAvailable, metav1.ConditionFalse, ReasonDeploymentUnavailable, "no replica of the Kopia server is available yet"}
	default:
		return condition{ConditionAvailable, metav1.ConditionFalse, ReasonDeploymentNotCreated, "the Kopia server's Deployment does not exist yet"}
	}
}

// progressing is True while a rollout the controller started is under way; a failure stops
// progress until it is fixed, so it is False then, pointing at Degraded.
func progressing(obs Observation) condition {
	if f := obs.Failure; f != nil {
		return condition{ConditionProgressing, metav1.ConditionFalse, ReasonBlocked, fmt.Sprintf("blocked by %s: see the Degraded condition", f.Reason)}
	}
	if obs.Deployment.RolledOut && obs.Deployment.Available {
		return condition{ConditionProgressing, metav1.ConditionFalse, ReasonRolloutComplete, "the Kopia server runs the current configuration"}
	}
	return condition{ConditionProgressing, metav1.ConditionTrue, ReasonRollingOut, "the Kopia server's Deployment is rolling out"}
}

func ready(obs Observation, serviceURL string) condition {
	if f := obs.Failure; f != nil {
		return condition{ConditionReady, metav1.ConditionFalse, f.Reason, f.Message}
	}
	if c := available(obs); c.status != metav1.ConditionTrue {
		c.conditionType = ConditionReady
		return c
	}
	return condition{ConditionReady, metav1.ConditionTrue, ReasonServerReady, "the Kopia server is serving at " + serviceURL}
}

// repositoryStatus: Error when the init container (which connects to or creates the repository)
// failed; Initialized once a replica was available (the init container succeeded), and it stays
// so while pods restart; NotInitialized before.
func repositoryStatus(prev v1alpha1.RepositoryStatus, obs Observation) v1alpha1.RepositoryStatus {
	switch {
	case obs.Failure != nil && obs.Failure.Container == render.ContainerInit:
		return v1alpha1.RepositoryError
	case obs.Deployment.Available, prev == v1alpha1.RepositoryInitialized:
		return v1alpha1.RepositoryInitialized
	default:
		return v1alpha1.RepositoryNotInitialized
	}
}
