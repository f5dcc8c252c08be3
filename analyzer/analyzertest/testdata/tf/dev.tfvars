# The loader reports that this file cannot be read. # want-diag "cannot read dev.tfvars"
