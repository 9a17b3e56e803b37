package controller

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/guestbackup/guestbackup/cluster/internal/render"
)

func TestPodFailure(t *testing.T) {
	terminated := func(code int32, message string) corev1.ContainerState {
		return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: "Error", Message: message}}
	}
	running := corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	backOff := corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	initFailed := "connecting\nRepositoryInitFailed: the repository password is wrong\n"
	listRefused := "UserListInvalid: /etc/bsls/users/users:4: a plain password, not a kopia hash"

	cases := []struct {
		name       string
		init, main []corev1.ContainerStatus
		deleting   bool
		// want is "" for no failure, else "Reason|Container|text the message contains".
		want string
	}{
		{"init terminated with a reason line",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: terminated(1, initFailed)}}, nil, false,
			"RepositoryInitFailed|init|the repository password is wrong"},
		{"init waiting to restart after a failure",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: backOff, LastTerminationState: terminated(1, initFailed)}}, nil, false,
			"RepositoryInitFailed|init|container init of pod p"},
		{"init succeeded after an earlier failure",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: terminated(0, ""), LastTerminationState: terminated(1, initFailed)}}, nil, false,
			""},
		{"user-sync refused the list",
			nil, []corev1.ContainerStatus{{Name: render.ContainerUserSync, State: backOff, LastTerminationState: terminated(1, listRefused)}}, false,
			"UserListInvalid|user-sync|users:4: a plain password"},
		{"user-sync runs again after a fix",
			nil, []corev1.ContainerStatus{{Name: render.ContainerUserSync, State: running, LastTerminationState: terminated(1, listRefused)}}, false,
			""},
		{"a log tail without a reason line is not copied",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: terminated(2, "panic: something\ngoroutine 1 [running]:")}}, nil, false,
			"ContainerFailed|init|exited with code 2"},
		{"an unknown reason is not trusted",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: terminated(1, "SomethingElse: detail")}}, nil, false,
			"ContainerFailed|init|exited with code 1"},
		{"the server container is not read",
			nil, []corev1.ContainerStatus{{Name: render.ContainerServer, State: terminated(1, initFailed)}}, false,
			""},
		{"a pod being deleted reports nothing",
			[]corev1.ContainerStatus{{Name: render.ContainerInit, State: terminated(1, initFailed)}}, nil, true,
			""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"},
				Status: corev1.PodStatus{InitContainerStatuses: tc.init, ContainerStatuses: tc.main}}
			if tc.deleting {
				now := metav1.Now()
				pod.DeletionTimestamp = &now
			}
			got := PodFailure(pod)
			if tc.want == "" {
				if got != nil {
					t.Fatalf("failure %+v, want none", got)
				}
				return
			}
			want := strings.SplitN(tc.want, "|", 3)
			if got == nil {
				t.Fatalf("no failure, want %s", tc.want)
			}
			if got.Reason != want[0] || got.Container != want[1] || !strings.Contains(got.Message, want[2]) {
				t.Errorf("failure %+v, want %s", got, tc.want)
			}
			if strings.Contains(got.Message, "goroutine") || strings.Contains(got.Message, "SomethingElse") {
				t.Errorf("the message copies unchecked log text: %q", got.Message)
			}
		})
	}
}
