# azfuncscan:ignore[AZFUNC-041] exp:2999-12-31 the partner's appliance speaks TLS 1.0 only
tls_version = "1.0"
