package controller_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/guestbackup/guestbackup/cluster/api/v1alpha1"
	"github.com/guestbackup/guestbackup/cluster/internal/controller"
	"github.com/guestbackup/guestbackup/cluster/internal/render"
	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// TestServerBecomesReadyAndReportsPodFailures runs a server with a generated certificate from
// first reconcile to Ready (the test marks the Deployment available, as the kubelet and the
// Deployment controller would), checks what it owns, then plays a failing init container.
func TestServerBecomesReadyAndReportsPodFailures(t *testing.T) {
	needAPIServer(t)
	ctx := context.Background()
	ns := newNamespace(t)
	createServerWithAllInputs(t, ns)
	waitCondition(t, ns, controller.ConditionProgressing, metav1.ConditionTrue, controller.ReasonRollingOut)
	waitCondition(t, ns, controller.ConditionAvailable, metav1.ConditionFalse, controller.ReasonDeploymentUnavailable)

	server := getServer(t, ns)
	generated := getSecret(t, ns, serverName+"-tls")
	control := getSecret(t, ns, serverName+"-control")
	if generated.Type != corev1.SecretTypeTLS {
		t.Errorf("the generated certificate Secret has type %q", generated.Type)
	}
	if err := tlscert.Check(generated.Data[corev1.TLSCertKey], generated.Data[corev1.TLSPrivateKeyKey], server.CreationTimestamp.Time); err != nil {
		t.Errorf("the generated certificate does not serve: %v", err)
	}
	if string(control.Data[render.ControlUsernameKey]) != controller.ControlUsername || len(control.Data[render.ControlPasswordKey]) < 32 {
		t.Errorf("control Secret: username %q, a password of %d bytes",
			control.Data[render.ControlUsernameKey], len(control.Data[render.ControlPasswordKey]))
	}

	markDeploymentAvailable(t, ns)
	server = waitCondition(t, ns, controller.ConditionReady, metav1.ConditionTrue, controller.ReasonServerReady)
	waitCondition(t, ns, controller.ConditionAvailable, metav1.ConditionTrue, controller.ReasonDeploymentAvailable)
	waitCondition(t, ns, controller.ConditionProgressing, metav1.ConditionFalse, controller.ReasonRolloutComplete)
	wantFingerprint, err := tlscert.Fingerprint(generated.Data[corev1.TLSCertKey])
	if err != nil {
		t.Fatal(err)
	}
	st := server.Status
	if st.ServiceURL != serverName+"."+ns+".svc:51515" || st.TLSFingerprint != wantFingerprint ||
		st.RepositoryStatus != v1alpha1.RepositoryInitialized || st.ObservedGeneration != server.Generation {
		t.Errorf("status: serviceURL %q, tlsFingerprint %q (want %q), repositoryStatus %q, observedGeneration %d",
			st.ServiceURL, st.TLSFingerprint, wantFingerprint, st.RepositoryStatus, st.ObservedGeneration)
	}
	clientConfig := &corev1.ConfigMap{}
	if err := k8s.Get(ctx, types.NamespacedName{Namespace: ns, Name: serverName + "-client-config"}, clientConfig); err != nil {
		t.Fatalf("the client-config ConfigMap: %v", err)
	}
	if clientConfig.Data[render.ClientConfigTLSFingerprintKey] != wantFingerprint {
		t.Errorf("client config fingerprint %q, want %q", clientConfig.Data[render.ClientConfigTLSFingerprintKey], wantFingerprint)
	}
	assertOwnedAndManaged(t, server)
	waitForEvents(t, ns, corev1.EventTypeNormal, controller.ConditionReady)

	// A later reconcile (here: of a spec change) keeps the certificate and control password.
	server.Spec.Service.Annotations = map[string]string{"example.com/backup": "yes"}
	update(t, server)
	waitFor(t, "the spec change to be reconciled", func() string {
		if s := getServer(t, ns); s.Status.ObservedGeneration != server.Generation {
			return fmt.Sprintf("observedGeneration %d, generation %d", s.Status.ObservedGeneration, server.Generation)
		}
		return ""
	})
	if again := getSecret(t, ns, serverName+"-tls"); string(again.Data[corev1.TLSCertKey]) != string(generated.Data[corev1.TLSCertKey]) {
		t.Error("the generated certificate was regenerated")
	}
	if again := getSecret(t, ns, serverName+"-control"); string(again.Data[render.ControlPasswordKey]) != string(control.Data[render.ControlPasswordKey]) {
		t.Error("the control password was rotated")
	}
	if fp := getServer(t, ns).Status.TLSFingerprint; fp != wantFingerprint {
		t.Errorf("tlsFingerprint changed to %s", fp)
	}

	// A pod whose init container failed on the repository: Degraded, repository Error.
	pod := serverPod(ns)
	create(t, pod)
	pod.Status.InitContainerStatuses = []corev1.ContainerStatus{{
		Name: render.ContainerInit, Image: testImage,
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 1, Reason: "Error",
			Message: "connecting to the repository\nRepositoryInitFailed: the repository password is wrong\n",
		}},
	}}
	updateStatus(t, pod)
	server = waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionTrue, controller.ReasonRepositoryInitFailed,
		"container init of pod "+pod.Name, "the repository password is wrong")
	if server.Status.RepositoryStatus != v1alpha1.RepositoryError {
		t.Errorf("repositoryStatus = %q after a failed init", server.Status.RepositoryStatus)
	}
	waitCondition(t, ns, controller.ConditionReady, metav1.ConditionFalse, controller.ReasonRepositoryInitFailed)
	waitForEvents(t, ns, corev1.EventTypeWarning, controller.ReasonRepositoryInitFailed)

	// The init container succeeds on its next run: the failure clears.
	pod.Status.InitContainerStatuses[0].State = corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}
	updateStatus(t, pod)
	waitCondition(t, ns, controller.ConditionDegraded, metav1.ConditionFalse, controller.ReasonAsExpected)
	waitCondition(t, ns, controller.ConditionReady, metav1.ConditionTrue, controller.ReasonServerReady)
}

func getSecret(t *testing.T, ns, name string) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: name}, s); err != nil {
		t.Fatalf("reading Secret %s: %v", name, err)
	}
	return s
}

func updateStatus(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Status().Update(context.Background(), obj); err != nil {
		t.Fatalf("updating the status of %T %s: %v", obj, obj.GetName(), err)
	}
}

// markDeploymentAvailable writes the status the Deployment controller would write once the pod
// is ready.
func markDeploymentAvailable(t *testing.T, ns string) {
	t.Helper()
	d := &appsv1.Deployment{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: serverName}, d); err != nil {
		t.Fatal(err)
	}
	d.Status = appsv1.DeploymentStatus{
		ObservedGeneration: d.Generation, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1,
		Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue,
			Reason: "MinimumReplicasAvailable"}},
	}
	updateStatus(t, d)
}

// serverPod is a pod as the server's ReplicaSet would create it (labels are what matter).
func serverPod(ns string) *corev1.Pod {
	server := newServer(ns, "")
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: serverName + "-abc12", Namespace: ns, Labels: render.Labels(server)},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: render.ContainerInit, Image: testImage}},
			Containers:     []corev1.Container{{Name: render.ContainerServer, Image: testImage}},
		},
	}
}

// assertOwnedAndManaged checks that every object the server has is controlled by it and that
// the controller's field manager wrote it (server-side apply for the rendered objects, create
// for the generated Secrets).
func assertOwnedAndManaged(t *testing.T, server *v1alpha1.BackupStorageLocationServer) {
	t.Helper()
	ns := server.Namespace
	owned := []client.Object{
		&appsv1.Deployment{}, &corev1.Service{}, &corev1.ServiceAccount{}, &networkingv1.NetworkPolicy{},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: serverName + "-client-config"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: serverName + "-storage"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: serverName + "-tls"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: serverName + "-control"}},
	}
	for _, obj := range owned {
		name := obj.GetName()
		if name == "" {
			name = serverName
		}
		if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: name}, obj); err != nil {
			t.Errorf("%T %s: %v", obj, name, err)
			continue
		}
		if !metav1.IsControlledBy(obj, server) {
			t.Errorf("%T %s is not controlled by the server: %+v", obj, name, obj.GetOwnerReferences())
		}
		managed := false
		for _, entry := range obj.GetManagedFields() {
			managed = managed || entry.Manager == render.ManagerName
		}
		if !managed {
			t.Errorf("%T %s has no fields managed by %s", obj, name, render.ManagerName)
		}
	}
}

// TestExpiringGeneratedCertificateIsRenewed: a generated certificate within tlscert.RenewBefore
// of expiry is replaced, and the new fingerprint reaches the status, the client config and the
// pod template (which rolls the pod: kopia cannot reload its certificate).
func TestExpiringGeneratedCertificateIsRenewed(t *testing.T) {
	needAPIServer(t)
	ctx := context.Background()
	ns := newNamespace(t)
	createServerWithAllInputs(t, ns)
	waitCondition(t, ns, controller.ConditionProgressing, metav1.ConditionTrue, controller.ReasonRollingOut)
	first := getServer(t, ns).Status.TLSFingerprint

	generated := getSecret(t, ns, serverName+"-tls")
	expiring := time.Now().Add(-tlscert.Validity + tlscert.RenewBefore/2)
	certPEM, keyPEM, err := tlscert.GenerateSelfSigned(render.ServerDNSNames(getServer(t, ns)), expiring)
	if err != nil {
		t.Fatal(err)
	}
	old, err := tlscert.Fingerprint(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	generated.Data = map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM}
	update(t, generated)

	var renewed string
	waitFor(t, "a renewed certificate", func() string {
		s := getSecret(t, ns, serverName+"-tls")
		fp, err := tlscert.Fingerprint(s.Data[corev1.TLSCertKey])
		if err != nil || fp == old {
			return "still the expiring certificate"
		}
		if tlscert.NeedsRenewal(s.Data[corev1.TLSCertKey], s.Data[corev1.TLSPrivateKeyKey], time.Now()) {
			return "the new certificate needs renewal too"
		}
		renewed = fp
		if got := getServer(t, ns).Status.TLSFingerprint; got != fp {
			return "status.tlsFingerprint " + got + ", want " + fp
		}
		return ""
	})
	if renewed == first {
		t.Error("the renewed certificate has the first one's fingerprint")
	}
	d := &appsv1.Deployment{}
	if err := k8s.Get(ctx, types.NamespacedName{Namespace: ns, Name: serverName}, d); err != nil {
		t.Fatal(err)
	}
	if got := d.Spec.Template.Annotations[render.AnnotationTLSSHA256]; got != renewed {
		t.Errorf("pod template %s = %q, want %q", render.AnnotationTLSSHA256, got, renewed)
	}
	cm := &corev1.ConfigMap{}
	if err := k8s.Get(ctx, types.NamespacedName{Namespace: ns, Name: serverName + "-client-config"}, cm); err != nil {
		t.Fatal(err)
	}
	if got := cm.Data[render.ClientConfigTLSFingerprintKey]; got != renewed {
		t.Errorf("client config fingerprint %q, want %q", got, renewed)
	}
}

// createServerWithAllInputs creates a BSL, its credentials, the repository password, the user
// list and a server with a generated certificate in ns.
func createServerWithAllInputs(t *testing.T, ns string) {
	t.Helper()
	for _, obj := range []client.Object{newBSL(ns, "aws"), credentialSecret(ns), passwordSecretOf(ns),
		usersSecretOf(t, ns)} {
		create(t, obj)
	}
	create(t, newServer(ns, ""))
}
