package controller_test

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/internal/controller"
)

// TestMissingInputsHealOneByOne creates a server before any of its inputs and then the inputs
// one at a time, in the order the controller checks them. Each missing or broken input shows as
// Degraded with its reason and a message naming the object; creating or fixing it moves the
// server on to the next one, through the watches alone (the controller is never restarted),
// until the Deployment is created.
func TestMissingInputsHealOneByOne(t *testing.T) {
	needAPIServer(t)
	ctx := context.Background()
	ns := newNamespace(t)
	create(t, newServer(ns, tlsSecret))

	degraded := func(reason string, inMessage ...string) {
		t.Helper()
		waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, reason, inMessage...)
		waitCondition(t, ns, controller.ConditionReady, metav1.ConditionFalse, reason)
	}
	degraded(controller.ReasonBSLNotFound, "BackupStorageLocation "+ns+"/"+bslName+" not found")

	create(t, newBSL(ns, "aws"))
	degraded(controller.ReasonCredentialsInvalid, "Secret "+ns+"/cloud-credentials", "not found")

	creds := credentialSecret(ns)
	creds.Data = map[string][]byte{"other": []byte("x")}
	create(t, creds)
	degraded(controller.ReasonCredentialsInvalid, "Secret "+ns+"/cloud-credentials", `no key "cloud"`)

	creds.Data = credentialSecret(ns).Data
	update(t, creds)
	degraded(controller.ReasonRepositoryPasswordMissing, "Secret "+ns+"/"+passwordSecret, "not found")

	password := passwordSecretOf(ns)
	password.Data["password"] = []byte{}
	create(t, password)
	degraded(controller.ReasonRepositoryPasswordMissing, "Secret "+ns+"/"+passwordSecret, `empty key "password"`)

	password.Data = passwordSecretOf(ns).Data
	update(t, password)
	degraded(controller.ReasonUserListInvalid, "Secret "+ns+"/"+usersSecret, "not found")

	users := newSecret(ns, usersSecret, map[string]string{usersKey: userLine(t) + "bob@vm-2:plain-password\n"})
	create(t, users)
	degraded(controller.ReasonUserListInvalid, "Secret "+ns+"/"+usersSecret+" key "+usersKey+":2:")
	assertNoSecretInStatus(t, ns, "plain-password")

	users.Data = usersSecretOf(t, ns).Data
	update(t, users)
	degraded(controller.ReasonTLSSecretInvalid, "Secret "+ns+"/"+tlsSecret, "not found")

	cert := tlsSecretOf(t, ns)
	good := cert.Data
	cert.Data = map[string][]byte{corev1.TLSCertKey: []byte("not a certificate"), corev1.TLSPrivateKeyKey: good[corev1.TLSPrivateKeyKey]}
	create(t, cert)
	degraded(controller.ReasonTLSSecretInvalid, "Secret "+ns+"/"+tlsSecret, "no PEM CERTIFICATE")
	assertNoSecretInStatus(t, ns, string(good[corev1.TLSPrivateKeyKey]))

	cert.Data = good
	update(t, cert)
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionFalse, controller.ReasonAsExpected)
	waitCondition(t, ns, controller.ConditionProgressing, metav1.ConditionTrue, controller.ReasonRollingOut)
	deployment := &appsv1.Deployment{}
	if err := k8s.Get(ctx, types.NamespacedName{Namespace: ns, Name: serverName}, deployment); err != nil {
		t.Fatalf("the Deployment was not created: %v", err)
	}
	if s := getServer(t, ns); s.Status.RepositoryStatus != "NotInitialized" {
		t.Errorf("repositoryStatus = %q before any replica was available", s.Status.RepositoryStatus)
	}

	// Each Degraded reason was announced once, as a Warning; none carried a secret.
	waitForEvents(t, ns, corev1.EventTypeWarning, controller.ReasonBSLNotFound, controller.ReasonCredentialsInvalid,
		controller.ReasonRepositoryPasswordMissing, controller.ReasonUserListInvalid, controller.ReasonTLSSecretInvalid)
	for _, e := range listEvents(t, ns) {
		for _, secret := range []string{"test-secret-key", "repository-password", "plain-password"} {
			if strings.Contains(e.Note, secret) {
				t.Errorf("event %s carries a secret: %s", e.Reason, e.Note)
			}
		}
	}
}

// TestUnsupportedProvider: a BSL on Azure is refused with BSLProviderUnsupported, before its
// credentials are even looked for.
func TestUnsupportedProvider(t *testing.T) {
	needAPIServer(t)
	ns := newNamespace(t)
	create(t, newBSL(ns, "azure"))
	create(t, newServer(ns, ""))
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, "BSLProviderUnsupported", `"azure"`)
}

// TestUserListInAConfigMap: a ConfigMap source is read and watched like a Secret one.
func TestUserListInAConfigMap(t *testing.T) {
	needAPIServer(t)
	ns := newNamespace(t)
	for _, obj := range []client.Object{newBSL(ns, "aws"), credentialSecret(ns), passwordSecretOf(ns)} {
		create(t, obj)
	}
	server := newServer(ns, "")
	server.Spec.UserManagement.Source.Secret = nil
	server.Spec.UserManagement.Source.ConfigMap = &corev1.ConfigMapKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: "users-cm"}, Key: "list"}
	create(t, server)
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, controller.ReasonUserListInvalid,
		"ConfigMap "+ns+"/users-cm", "not found")

	create(t, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "users-cm", Namespace: ns},
		Data: map[string]string{"list": userLine(t)}})
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionFalse, controller.ReasonAsExpected)
}

func update(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Update(context.Background(), obj); err != nil {
		t.Fatalf("updating %T %s: %v", obj, obj.GetName(), err)
	}
}

// assertNoSecretInStatus fails when secret appears anywhere in the server's conditions.
func assertNoSecretInStatus(t *testing.T, ns, secret string) {
	t.Helper()
	for _, c := range getServer(t, ns).Status.Conditions {
		if strings.Contains(c.Message, secret) {
			t.Errorf("condition %s carries a secret value: %s", c.Type, c.Message)
		}
	}
}

func listEvents(t *testing.T, ns string) []eventsv1.Event {
	t.Helper()
	events := &eventsv1.EventList{}
	if err := k8s.List(context.Background(), events, client.InNamespace(ns)); err != nil {
		t.Fatalf("listing events: %v", err)
	}
	var about []eventsv1.Event
	for _, e := range events.Items {
		if e.Regarding.Kind == "BackupStorageLocationServer" && e.Regarding.Name == serverName {
			about = append(about, e)
		}
	}
	return about
}

// waitForEvents waits until the server has exactly one event of eventType for each reason
// (events are sent asynchronously).
func waitForEvents(t *testing.T, ns, eventType string, reasons ...string) {
	t.Helper()
	waitFor(t, eventType+" events "+strings.Join(reasons, ","), func() string {
		count := map[string]int{}
		for _, e := range listEvents(t, ns) {
			if e.Type == eventType {
				count[e.Reason]++
			}
		}
		for _, reason := range reasons {
			if count[reason] != 1 {
				return "events: " + strings.Join(eventSummary(listEvents(t, ns)), "; ")
			}
		}
		return ""
	})
}

func eventSummary(events []eventsv1.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Type+" "+e.Reason+": "+e.Note)
	}
	return out
}

// TestCredentialOfABSLInAnotherNamespace: the BSL lives in another namespace and names its own
// credential Secret there; that Secret's creation heals the server, and its deletion degrades
// it again (Secret events reach the server through the BSL that names the Secret).
func TestCredentialOfABSLInAnotherNamespace(t *testing.T) {
	needAPIServer(t)
	ns, adp := newNamespace(t), newNamespace(t)
	bsl := newBSL(adp, "aws")
	bsl.Spec.Credential = &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: "s3-creds"}, Key: "aws"}
	for _, obj := range []client.Object{bsl, passwordSecretOf(ns), usersSecretOf(t, ns)} {
		create(t, obj)
	}
	server := newServer(ns, "")
	server.Spec.BackupStorageLocation.Namespace = adp
	create(t, server)
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, controller.ReasonCredentialsInvalid,
		"Secret "+adp+"/s3-creds", "BackupStorageLocation "+adp+"/"+bslName, "not found")

	creds := newSecret(adp, "s3-creds", map[string]string{"aws": string(credentialSecret(adp).Data["cloud"])})
	create(t, creds)
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionFalse, controller.ReasonAsExpected)

	if err := k8s.Delete(context.Background(), creds); err != nil {
		t.Fatal(err)
	}
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, controller.ReasonCredentialsInvalid,
		"Secret "+adp+"/s3-creds", "not found")
}
