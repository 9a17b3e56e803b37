package render

import (
	"errors"
	"fmt"

	"github.com/guestbackup/guestbackup/cluster/internal/tlscert"
)

// Render computes the objects that run in.Server: a pure function of its inputs, so the
// controller and `bsls-controller render` produce the same objects. It fails with an *Error
// (ReasonBSLProviderUnsupported, ReasonBSLInvalid, ReasonCredentialsInvalid,
// ReasonTLSSecretInvalid) when an input object needs fixing, and with a plain error when the
// caller passed incomplete Inputs (a nil object, no image).
func Render(in Inputs) (*Objects, error) {
	if in.Server == nil || in.BSL == nil {
		return nil, errors.New("render: Inputs.Server and Inputs.BSL are required")
	}
	s := in.Server
	image := s.Spec.Image
	if image == "" {
		image = in.Image
	}
	if image == "" {
		return nil, errors.New("render: no image: spec.image and Inputs.Image are both empty")
	}
	fingerprint, err := tlscert.Fingerprint(in.TLSCertPEM)
	if err != nil {
		return nil, errorf(ReasonTLSSecretInvalid,
			fmt.Sprintf("Secret %s/%s: %v", s.Namespace, TLSSecretName(s), err))
	}
	storage, err := KopiaS3StorageFor(in.BSL, in.Credentials, s)
	if err != nil {
		return nil, err
	}

	storageSecret := storageSecret(s, storage)
	return &Objects{
		ServiceAccount: serviceAccount(s),
		StorageSecret:  storageSecret,
		ClientConfig:   clientConfig(s, fingerprint, in.TLSCertPEM),
		Service:        service(s),
		NetworkPolicy:  networkPolicy(s),
		Deployment: deployment(s, podSettings{
			image:          image,
			storage:        storage,
			tlsFingerprint: fingerprint,
			storageHash:    DataHash(storageSecret.Data),
		}),
		ServiceURL:     ServiceURL(s),
		TLSFingerprint: fingerprint,
	}, nil
}
