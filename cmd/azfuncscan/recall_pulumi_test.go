package main

import "testing"

// TestRecallPulumiGencorpus does the same for `gencorpus -pulumi 50`: each
// stack export (pulumi/<team>-functions-NNNNN/<stack>.stack.json) holds
// azure-native function apps, their plan and storage account; the
// manifest names resources by URN, which is the model's address.
//
// gencorpus wraps AzureWebJobsStorage (with its AccountKey) in a secret
// envelope shown with --show-secrets and does not count it as a
// hard-coded secret; the parser judges a decrypted envelope as a literal
// (like the testdata/pulumi/secret-envelope fixture), so AZFUNC-030 on
// such apps is expected.
func TestRecallPulumiGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans a corpus")
	}
	runRecall(t, recallCorpus{
		format:  "pulumi",
		args:    []string{"-seed", "1", "-pulumi", "50"},
		unit:    unitOf,
		address: func(r string) string { return r },
		unseededOK: func(check string) bool {
			return check == "AZFUNC-030"
		},
	})
}
