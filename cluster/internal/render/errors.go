package render

import "errors"

// Reasons carried by *Error. They are CamelCase so the controller can put them unchanged into
// a status condition's Reason (DESIGN.md §5).
const (
	// ReasonBSLProviderUnsupported: the BSL's backend is not S3 (Azure, GCP, filesystem …).
	ReasonBSLProviderUnsupported = "BSLProviderUnsupported"
	// ReasonBSLInvalid: the BSL is S3 but cannot be mapped (no bucket, bad config.s3Url …).
	ReasonBSLInvalid = "BSLInvalid"
	// ReasonCredentialsInvalid: the credentials file lacks the profile or its static keys.
	ReasonCredentialsInvalid = "CredentialsInvalid"
	// ReasonTLSSecretInvalid: the TLS Secret's tls.crt holds no parsable certificate.
	ReasonTLSSecretInvalid = "TLSSecretInvalid"
)

// Error is a rendering failure the user can fix by editing an input object. Message names the
// offending field or profile and never contains a secret.
type Error struct {
	Reason  string
	Message string
}

func (e *Error) Error() string { return e.Reason + ": " + e.Message }

// ReasonOf returns the Reason of the first *Error in err's chain, or "" if there is none.
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func errorf(reason, message string) *Error { return &Error{Reason: reason, Message: message} }
