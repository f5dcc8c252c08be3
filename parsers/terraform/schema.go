package terraform

// Nested block types of the resource types the model reads. They matter for
// .tf.json, where a block and an object attribute look the same; native
// syntax finds blocks without them. Only the structure is described:
// attributes need no schema.

// blocks builds a schema from name/child pairs; a nil child is a leaf block.
func blocks(kv ...any) *blockSchema {
	bs := &blockSchema{blocks: map[string]*blockSchema{}}
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		child, _ := kv[i+1].(*blockSchema)
		if child == nil {
			child = &blockSchema{}
		}
		bs.blocks[name] = child
	}
	return bs
}

func ipRestrictionSchema() *blockSchema { return blocks("headers", nil) }

func siteConfigSchema() *blockSchema {
	return blocks(
		"application_stack", blocks("docker", nil),
		"cors", nil,
		"ip_restriction", ipRestrictionSchema(),
		"scm_ip_restriction", ipRestrictionSchema(),
		"app_service_logs", nil,
	)
}

func authSettingsSchema() *blockSchema {
	return blocks(
		"active_directory", nil, "facebook", nil, "github", nil,
		"google", nil, "microsoft", nil, "twitter", nil,
	)
}

func authSettingsV2Schema() *blockSchema {
	return blocks(
		"login", nil, "active_directory_v2", nil, "apple_v2", nil,
		"azure_static_web_app_v2", nil, "custom_oidc_v2", nil, "facebook_v2", nil,
		"github_v2", nil, "google_v2", nil, "microsoft_v2", nil, "twitter_v2", nil,
	)
}

func functionAppSchema() *blockSchema {
	return blocks(
		"site_config", siteConfigSchema(),
		"identity", nil,
		"auth_settings", authSettingsSchema(),
		"auth_settings_v2", authSettingsV2Schema(),
		"backup", blocks("schedule", nil),
		"connection_string", nil,
		"storage_account", nil,
		"sticky_settings", nil,
		"source_control", nil,
		"always_ready", nil,
		"timeouts", nil,
	)
}

func storageAccountSchema() *blockSchema {
	return blocks(
		"network_rules", blocks("private_link_access", nil),
		"identity", nil,
		"blob_properties", blocks("cors_rule", nil, "delete_retention_policy", nil, "container_delete_retention_policy", nil, "restore_policy", nil),
		"queue_properties", blocks("cors_rule", nil, "logging", nil, "minute_metrics", nil, "hour_metrics", nil),
		"share_properties", blocks("cors_rule", nil, "retention_policy", nil, "smb", nil),
		"customer_managed_key", nil,
		"static_website", nil,
		"azure_files_authentication", blocks("active_directory", nil),
		"routing", nil,
		"immutability_policy", nil,
		"sas_policy", nil,
		"custom_domain", nil,
		"timeouts", nil,
	)
}

// schemaFor returns the block schema of a resource type, or nil for types
// the model does not read (their JSON objects stay attributes).
func schemaFor(typ string) *blockSchema {
	if _, ok := appKindOf(typ); ok {
		return functionAppSchema()
	}
	switch typ {
	case "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot",
		"azurerm_windows_web_app_slot", "azurerm_app_service", "azurerm_app_service_slot":
		return functionAppSchema()
	case "azurerm_storage_account":
		return storageAccountSchema()
	case "azurerm_storage_account_network_rules":
		return blocks("private_link_access", nil)
	case "azurerm_app_service_plan":
		return blocks("sku", nil)
	case "azurerm_private_endpoint":
		return blocks("private_service_connection", nil, "private_dns_zone_group", nil, "ip_configuration", nil)
	case "azurerm_monitor_diagnostic_setting":
		return blocks(
			"enabled_log", blocks("retention_policy", nil),
			"log", blocks("retention_policy", nil),
			"metric", blocks("retention_policy", nil),
			"enabled_metric", nil,
		)
	}
	return nil
}
