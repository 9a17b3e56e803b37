package controller

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

const (
	testURL         = "vm-files.ns.svc:51515"
	testFingerprint = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
)

// want is the expected status and reason of each condition, then the other status fields.
type want struct {
	ready, available, progressing, degraded string // "True:Reason" or "False:Reason"
	repository                              v1alpha1.RepositoryStatus
	serviceURL                              string
}

func TestStatusFromObservations(t *testing.T) {
	deployed := func(d DeploymentState) Observation {
		return Observation{Applied: true, ServiceURL: testURL, TLSFingerprint: testFingerprint, Deployment: d}
	}
	withFailure := func(o Observation, f Failure) Observation { o.Failure = &f; return o }
	initialized := v1alpha1.BackupStorageLocationServerStatus{
		RepositoryStatus: v1alpha1.RepositoryInitialized, ServiceURL: "old:51515"}

	cases := []struct {
		name string
		prev v1alpha1.BackupStorageLocationServerStatus
		obs  Observation
		want want
	}{
		{"a missing BSL before anything was deployed", v1alpha1.BackupStorageLocationServerStatus{},
			Observation{Failure: &Failure{Reason: ReasonBSLNotFound, Message: "BackupStorageLocation a/b not found"}},
			want{"False:BSLNotFound", "False:DeploymentNotCreated", "False:Blocked", "True:BSLNotFound",
				v1alpha1.RepositoryNotInitialized, ""}},
		{"a Deployment just created", v1alpha1.BackupStorageLocationServerStatus{},
			deployed(DeploymentState{Exists: true}),
			want{"False:DeploymentUnavailable", "False:DeploymentUnavailable", "True:RollingOut", "False:AsExpected",
				v1alpha1.RepositoryNotInitialized, testURL}},
		{"available and rolled out", v1alpha1.BackupStorageLocationServerStatus{},
			deployed(DeploymentState{Exists: true, Available: true, RolledOut: true}),
			want{"True:ServerReady", "True:DeploymentAvailable", "False:RolloutComplete", "False:AsExpected",
				v1alpha1.RepositoryInitialized, testURL}},
		{"available while a new configuration rolls out", v1alpha1.BackupStorageLocationServerStatus{},
			deployed(DeploymentState{Exists: true, Available: true}),
			want{"True:ServerReady", "True:DeploymentAvailable", "True:RollingOut", "False:AsExpected",
				v1alpha1.RepositoryInitialized, testURL}},
		{"the init container failed on the repository", v1alpha1.BackupStorageLocationServerStatus{},
			withFailure(deployed(DeploymentState{Exists: true}), Failure{Reason: ReasonRepositoryInitFailed,
				Message: "wrong password", Container: render.ContainerInit}),
			want{"False:RepositoryInitFailed", "False:DeploymentUnavailable", "False:Blocked", "True:RepositoryInitFailed",
				v1alpha1.RepositoryError, testURL}},
		{"the user-sync sidecar refused the list of a running server", initialized,
			withFailure(deployed(DeploymentState{Exists: true, Available: true, RolledOut: true}), Failure{
				Reason: ReasonUserListInvalid, Message: "users:3: a plain password", Container: render.ContainerUserSync}),
			want{"False:UserListInvalid", "True:DeploymentAvailable", "False:Blocked", "True:UserListInvalid",
				v1alpha1.RepositoryInitialized, testURL}},
		{"an input went missing under a running server: the last URL stays", initialized,
			Observation{Failure: &Failure{Reason: ReasonCredentialsInvalid, Message: "Secret a/b not found"},
				Deployment: DeploymentState{Exists: true, Available: true, RolledOut: true}},
			want{"False:CredentialsInvalid", "True:DeploymentAvailable", "False:Blocked", "True:CredentialsInvalid",
				v1alpha1.RepositoryInitialized, "old:51515"}},
		{"a restarting pod leaves the repository initialized", initialized,
			deployed(DeploymentState{Exists: true, RolledOut: true}),
			want{"False:DeploymentUnavailable", "False:DeploymentUnavailable", "True:RollingOut", "False:AsExpected",
				v1alpha1.RepositoryInitialized, testURL}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.obs.Generation = 3
			tc.obs.Now = metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			got := Status(tc.prev, tc.obs)
			for conditionType, expected := range map[string]string{ConditionReady: tc.want.ready,
				ConditionAvailable: tc.want.available, ConditionProgressing: tc.want.progressing,
				ConditionDegraded: tc.want.degraded} {
				c := meta.FindStatusCondition(got.Conditions, conditionType)
				if c == nil {
					t.Errorf("no %s condition", conditionType)
					continue
				}
				if s := string(c.Status) + ":" + c.Reason; s != expected {
					t.Errorf("%s = %s (%q), want %s", conditionType, s, c.Message, expected)
				}
				if c.ObservedGeneration != 3 || c.Message == "" {
					t.Errorf("%s: observedGeneration %d, message %q", conditionType, c.ObservedGeneration, c.Message)
				}
			}
			if got.RepositoryStatus != tc.want.repository {
				t.Errorf("repositoryStatus = %s, want %s", got.RepositoryStatus, tc.want.repository)
			}
			if got.ServiceURL != tc.want.serviceURL {
				t.Errorf("serviceURL = %q, want %q", got.ServiceURL, tc.want.serviceURL)
			}
			if got.ObservedGeneration != 3 {
				t.Errorf("observedGeneration = %d", got.ObservedGeneration)
			}
		})
	}
}

func TestStatusDegradedCarriesTheFailureMessage(t *testing.T) {
	msg := "Secret openshift-adp/cloud-credentials (the credentials of BackupStorageLocation openshift-adp/default) not found"
	got := Status(v1alpha1.BackupStorageLocationServerStatus{},
		Observation{Failure: &Failure{Reason: ReasonCredentialsInvalid, Message: msg}})
	if c := meta.FindStatusCondition(got.Conditions, ConditionDegraded); c == nil || c.Message != msg {
		t.Errorf("Degraded = %+v, want message %q", c, msg)
	}
}

// A condition whose status does not change keeps its lastTransitionTime, and reconciling the
// same observation again changes nothing (no status write, no hot loop).
func TestStatusIsStableAndKeepsTransitionTimes(t *testing.T) {
	t0 := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	t1 := metav1.NewTime(t0.Add(time.Hour))
	obs := Observation{Generation: 1, Now: t0, Failure: &Failure{Reason: ReasonBSLNotFound, Message: "m"}}
	first := Status(v1alpha1.BackupStorageLocationServerStatus{}, obs)

	obs.Now = t1
	second := Status(first, obs)
	if !equality.Semantic.DeepEqual(first, second) {
		t.Errorf("the same observation changed the status:\n%+v\n%+v", first, second)
	}

	obs.Failure = &Failure{Reason: ReasonCredentialsInvalid, Message: "m2"}
	third := Status(second, obs)
	degradedCondition := meta.FindStatusCondition(third.Conditions, ConditionDegraded)
	if !degradedCondition.LastTransitionTime.Equal(&t0) {
		t.Errorf("Degraded stayed True but its lastTransitionTime moved to %v", degradedCondition.LastTransitionTime)
	}
	if degradedCondition.Reason != ReasonCredentialsInvalid {
		t.Errorf("Degraded reason = %s", degradedCondition.Reason)
	}

	obs.Failure = nil
	obs.Applied, obs.Deployment = true, DeploymentState{Exists: true}
	fourth := Status(third, obs)
	if c := meta.FindStatusCondition(fourth.Conditions, ConditionDegraded); !c.LastTransitionTime.Equal(&t1) {
		t.Errorf("Degraded turned False but its lastTransitionTime is %v", c.LastTransitionTime)
	}
}

func TestTransitions(t *testing.T) {
	status := func(failure *Failure, available bool) []metav1.Condition {
		return Status(v1alpha1.BackupStorageLocationServerStatus{}, Observation{Failure: failure, Applied: true,
			ServiceURL: testURL, Deployment: DeploymentState{Exists: true, Available: available, RolledOut: true}}).Conditions
	}
	bslMissing := &Failure{Reason: ReasonBSLNotFound, Message: "BackupStorageLocation a/b not found"}
	credsMissing := &Failure{Reason: ReasonCredentialsInvalid, Message: "Secret a/c not found"}
	cases := []struct {
		name       string
		prev, next []metav1.Condition
		want       []Event
	}{
		{"first failure", nil, status(bslMissing, false),
			[]Event{{"Warning", ReasonBSLNotFound, bslMissing.Message}}},
		{"same failure again", status(bslMissing, false), status(bslMissing, false), nil},
		{"another failure", status(bslMissing, false), status(credsMissing, false),
			[]Event{{"Warning", ReasonCredentialsInvalid, credsMissing.Message}}},
		{"healed, not yet available", status(credsMissing, false), status(nil, false), nil},
		{"ready", status(nil, false), status(nil, true),
			[]Event{{"Normal", ConditionReady, "the Kopia server is serving at " + testURL}}},
		{"still ready", status(nil, true), status(nil, true), nil},
		{"ready server degrades", status(nil, true), status(credsMissing, true),
			[]Event{{"Warning", ReasonCredentialsInvalid, credsMissing.Message}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Transitions(tc.prev, tc.next)
			if len(got) != len(tc.want) {
				t.Fatalf("events = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("event %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
