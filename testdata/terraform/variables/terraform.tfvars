# Overrides the variable default: the app below ends up without HTTPS-only.
https_only = false
