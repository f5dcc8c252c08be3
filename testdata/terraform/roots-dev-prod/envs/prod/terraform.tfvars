# min_tls_version is left to the root variable's default.
https_only = true
