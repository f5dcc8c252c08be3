https_only = true
