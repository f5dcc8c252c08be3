tls_version = "1.0"
