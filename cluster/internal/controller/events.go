package controller

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Event is one Kubernetes Event to emit about a BackupStorageLocationServer.
type Event struct {
	Type    string // corev1.EventTypeNormal or corev1.EventTypeWarning
	Reason  string
	Message string
}

// eventAction is the events.k8s.io/v1 `action` of every event: what the controller was doing.
const eventAction = "Reconcile"

// Transitions returns the events that prev -> next deserves: a Warning when Degraded becomes
// True or changes reason while True, a Normal when Ready becomes True. Nothing else, so a steady
// state emits nothing however often it is reconciled.
func Transitions(prev, next []metav1.Condition) []Event {
	var events []Event
	if d := meta.FindStatusCondition(next, ConditionDegraded); d != nil && d.Status == metav1.ConditionTrue {
		old := meta.FindStatusCondition(prev, ConditionDegraded)
		if old == nil || old.Status != metav1.ConditionTrue || old.Reason != d.Reason {
			events = append(events, Event{Type: corev1.EventTypeWarning, Reason: d.Reason, Message: d.Message})
		}
	}
	if r := meta.FindStatusCondition(next, ConditionReady); r != nil && r.Status == metav1.ConditionTrue &&
		!meta.IsStatusConditionTrue(prev, ConditionReady) {
		events = append(events, Event{Type: corev1.EventTypeNormal, Reason: ConditionReady, Message: r.Message})
	}
	return events
}
