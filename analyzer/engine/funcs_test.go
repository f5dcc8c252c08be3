package engine

import (
	"errors"
	"slices"
	"testing"
)

func TestTLSBelow(t *testing.T) {
	tests := []struct {
		version any
		minimum string
		want    bool
	}{
		{"1.0", "1.2", true},
		{"1.1", "1.2", true},
		{"1.2", "1.2", false},
		{"1.3", "1.2", false},
		{"1.3", "1.4", false}, // 1.3 always passes
		{1.1, "1.2", true},    // HCL number
		{1.2, "1.2", false},
		{int64(1), "1.2", true},
		{"TLS1_0", "1.2", true},
		{"TLS1_2", "1.2", false},
		{"tls1_1", "TLS1_2", true},
		{"TLSv1.2", "1.2", false},
		{"Tls12", "1.2", false},
		{"TLS11", "1.2", true},
		{" 1.2 ", "1.2", false},
		{"1.0", "1.0", false},
	}
	for _, tt := range tests {
		got, err := tlsBelow(tt.version, tt.minimum)
		if err != nil || got != tt.want {
			t.Errorf("tlsBelow(%#v, %q) = %v, %v; want %v", tt.version, tt.minimum, got, err, tt.want)
		}
	}
	for _, bad := range []any{"", "latest", "1.x", "TLS", true, "10.0", -1.0} {
		if _, err := tlsBelow(bad, "1.2"); !errors.Is(err, errBadValue) {
			t.Errorf("tlsBelow(%#v) error = %v, want errBadValue", bad, err)
		}
	}
}

func TestIsKeyVaultRef(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", true},
		{"@Microsoft.KeyVault(VaultName=kv;SecretName=db)", true},
		{"  @microsoft.keyvault(VaultName=kv;SecretName=db)  ", true},
		{"@MICROSOFT.KEYVAULT (SecretUri=x)", true},
		{"@Microsoft.KeyVault", false},
		{"Microsoft.KeyVault(SecretUri=x)", false},
		{"https://kv.vault.azure.net/secrets/db", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isKeyVaultRef(tt.in); got != tt.want {
			t.Errorf("isKeyVaultRef(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLooksSecret(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		// Secret-looking names with real literal values.
		{"DB_PASSWORD", "Sup3r-S3cret-Passw0rd!", true},
		{"API_TOKEN", "tok_live_5f0c8e2b9a7d4c1e8f3a6b2d9c0e7f14", true},
		{"ApiKey", "9f8e7d6c5b4a", true},
		{"STRIPE_SECRET", "sk_live_abc123", true},
		{"ClientSecret", "q~8Q~abc.def", true},
		{"SAS", "sv=2022&ss=b", true},
		{"MyConnectionString", "Server=x;Database=y", true},
		{"WEBHOOK_KEY", "00000000-1111-2222-3333-444444444444", true},
		{"SERVICE_PWD", "letmein", true},
		// Credential shapes whatever the name.
		{"EVENTS_CONNECTION", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=ZmFrZWtleQ==", true},
		{"Reporting", "Server=tcp:sql.database.windows.net;Database=r;User ID=app;Password=Pa55-w0rd;", true},
		{"Storage", "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc/def==;EndpointSuffix=core.windows.net", true},
		{"PACKAGE", "https://st.blob.core.windows.net/c/p.zip?sv=2022-11-02&sr=b&sig=abcDEF%2B123", true},
		{"Cache", "cache.redis.cache.windows.net:6380,password=s3cr3t,ssl=True", true},
		{"Legacy", "Data Source=db;Uid=sa;Pwd=hunter2", true},
		{"BUS", "Endpoint=sb://x/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y", true},
		{"AUTH", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", true},
		{"CERT", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----", true},
		{"CERT2", "-----BEGIN PRIVATE KEY-----\nMIIE", true},
		{"QUEUE_URL", "amqps://user:pa55word@broker.example.com/vhost", true},
		{"HOOK_TOKEN", "https://example.com/hook?code=abcdef123", true},
		// Not secrets.
		{"DB_PASSWORD", "", false},
		{"DB_PASSWORD", "   ", false},
		{"DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", false},
		{"VAULT_BY_NAME", "@Microsoft.KeyVault(VaultName=kv;SecretName=db)", false},
		{"DB_PASSWORD", "<your-password>", false},
		{"DB_PASSWORD", "${DB_PASSWORD}", false},
		{"DB_PASSWORD", "changeme", false},
		{"DB_PASSWORD", "xxxxxxxx", false},
		{"DB_PASSWORD", "****", false},
		{"API_KEY", "__API_KEY__", false},
		{"FEATURE_TOKEN_ENABLED", "true", false},
		{"TOKEN_LIFETIME", "3600", false},
		{"SECRET_COUNT", "3.5", false},
		{"PUBLIC_URL", "https://func.azurewebsites.net/api", false},
		{"KEY_VAULT_URI", "https://kv.vault.azure.net/", false},
		{"AzureWebJobsSecretStorageType", "keyvault", false},
		{"AzureWebJobsSecretStorageKeyVaultUri", "https://kv.vault.azure.net/", false},
		{"SharedAccessKeyName", "send", false},
		{"APPINSIGHTS_INSTRUMENTATIONKEY", "00000000-0000-0000-0000-000000000000", false},
		{"APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/", false},
		{"FUNCTIONS_WORKER_RUNTIME", "python", false},
		{"TOKEN_URL", "https://login.microsoftonline.com/tenant/oauth2/token", false},
		{"Reporting", "Server=tcp:sql.database.windows.net;Database=r;Authentication=Active Directory Managed Identity", false},
		{"Reporting", "Server=x;Password=;", false},
		{"Reporting", "Server=x;Password={your_password};", false},
		{"AzureWebJobsStorage__accountName", "sthost", false},
		// Identity-based connections, counts, expiries and mode words
		// (catalog, Secret detection: false positives seen on real repositories).
		{"ServiceBusConnection__credential", "managedidentity", false},
		{"AzureWebJobsStorage__credential", "managedidentity", false},
		{"EventHubConnection__clientId", "0f0e0d0c-0000-1111-2222-333344445555", false},
		{"ServiceBusConnection__fullyQualifiedNamespace", "sb-x.servicebus.windows.net", false},
		{"KeyVaultConnection__tenantId", "0f0e0d0c-0000-1111-2222-333344445555", false},
		{"BlobUserDelegationKeyExpirySecs", "3600", false},
		{"BlobUserDelegationKeyExpirySecs", "1h", false},
		{"NUM_TOKENS", "2048", false},
		{"MAX_TOKENS_PER_REQUEST", "4k", false},
		{"AzureWebJobsSecretStorageType", "files", false},
		{"SecretStorage", "blob", false},
		{"AUTH_SECRET", "disabled", false},
		// A credential shape is a secret whatever the name says.
		{"ServiceBusConnection__fullyQualifiedNamespace", "Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=ZmFrZQ==", true},
		{"AzureWebJobsStorage__credential", "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc/def==", true},
		{"AUTH_SECRET", "managed-identity-is-not-a-mode-word", true},
	}
	for _, tt := range tests {
		if got := looksSecret(tt.name, tt.value); got != tt.want {
			t.Errorf("looksSecret(%q, <value %d bytes>) = %v, want %v", tt.name, len(tt.value), got, tt.want)
		}
	}
}

func TestNameWords(t *testing.T) {
	tests := map[string]string{
		"DbPassword":                       "DB PASSWORD",
		"DB_PASSWORD":                      "DB PASSWORD",
		"APIKey":                           "API KEY",
		"api-key.v2":                       "API KEY V2",
		"AzureWebJobsStorage__accountName": "AZURE WEB JOBS STORAGE ACCOUNT NAME",
		"":                                 "",
	}
	for in, want := range tests {
		got := ""
		for i, w := range nameWords(in) {
			if i > 0 {
				got += " "
			}
			got += w
		}
		if got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNameWordsASCII: an ASCII name, split by its bytes, gives the words
// the rune by rune split gives.
func TestNameWordsASCII(t *testing.T) {
	for _, in := range []string{
		"DbPassword", "DB_PASSWORD", "APIKey", "api-key.v2", "AzureWebJobsStorage__accountName",
		"", "_", "a", "A", "9", "aB", "Ab", "AB", "ABc", "a1B", "1aB", "A1b", "MAX_TOKENS_PER_REQUEST",
		"HTTPSServer2Key", "x--y__Z", "SASToken", "my.secret.KEY", "k8sSecretV2", "OAuth2ClientSecret",
	} {
		if got, want := nameWords(in), nameWordsRunes(in); !slices.Equal(got, want) {
			t.Errorf("nameWords(%q) = %q, rune by rune %q", in, got, want)
		}
	}
	if got := nameWords("DbPässword"); !slices.Equal(got, []string{"DB", "PÄSSWORD"}) {
		t.Errorf("nameWords of a name with a non-ASCII letter = %q", got)
	}
}

// TestIsPlaceholderCase: placeholder words and prefixes match in any
// case, an ASCII value by its upper-cased head and any other as
// strings.ToUpper gives it (ſ is S).
func TestIsPlaceholderCase(t *testing.T) {
	for v, want := range map[string]bool{
		"changeme": true, "ChangeMe": true, "placeholder": true, "PlaceHolder": true, "placeholders": false,
		"n/a": true, "NoNe": true, "todo!": false, "tbd2": false,
		"your_key": true, "Your-Key-Here-And-Some-More": true, "<your key": true, "yours": false,
		"unſet": true, "ſecret-value": false, "Ünset": false,
		"DefaultEndpointsProtocol=https;AccountName=x": false,
	} {
		if got := isPlaceholder(v); got != want {
			t.Errorf("isPlaceholder(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestVersionBelow(t *testing.T) {
	for _, tt := range []struct {
		v, min string
		want   bool
	}{
		{"3.9", "3.11", true},
		{"3.11", "3.11", false},
		{"3.12", "3.11", false},
		{"v8.0", "10", true},
		{"10.0", "10", false},
		{"~4", "4", false},
		{"18", "22", true},
		{"22-lts", "22", false},
		{"8.0-preview", "8.0.1", true},
		{"1.8", "11", true},
	} {
		got, err := versionBelow(tt.v, tt.min)
		if err != nil || got != tt.want {
			t.Errorf("versionBelow(%q, %q) = %v, %v; want %v", tt.v, tt.min, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "latest", "LTS"} {
		if _, err := versionBelow(bad, "1"); !errors.Is(err, errBadValue) {
			t.Errorf("versionBelow(%q): err = %v, want errBadValue", bad, err)
		}
	}
}
