using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.Publishing;

/// <summary>The members both extendedMetaData shapes carry.</summary>
public abstract record ExtendedMetaDataBase
{
    [JsonPropertyName("image_name")]
    public string ImageName { get; init; } = "";

    [JsonPropertyName("role")]
    public Role Role { get; init; } = new();

    [JsonPropertyName("strategy_config")]
    public StrategyConfig StrategyConfig { get; init; } = new();

    [JsonPropertyName("extend_config")]
    public string ExtendConfig { get; init; } = "";

    [JsonPropertyName("initializer")]
    public Initializer Initializer { get; init; } = new("", 0);

    [JsonPropertyName("pre_stop")]
    public PreStop PreStop { get; init; } = new("", 0);

    [JsonPropertyName("enterprise_project_id")]
    public string EnterpriseProjectId { get; init; } = "";

    [JsonPropertyName("log_tank_service")]
    public LogTankService LogTankService { get; init; } = new();

    [JsonPropertyName("tracing_config")]
    public TracingConfig TracingConfig { get; init; } = new();

    [JsonPropertyName("custom_container_config")]
    public CustomContainerConfig CustomContainerConfig { get; init; } = new();

    [JsonPropertyName("custom_health_check")]
    public CustomHealthCheck CustomHealthCheck { get; init; } = new();

    [JsonPropertyName("priority_az")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PriorityAz { get; init; }

    [JsonPropertyName("enable_metrics")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnableMetrics { get; init; }

    [JsonPropertyName("enable_agent_session")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnableAgentSession { get; init; }

    [JsonPropertyName("enable_session_ctx")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnableSessionCtx { get; init; }
}

public sealed record FaasExtendedMetaData : ExtendedMetaDataBase
{
    [JsonPropertyName("func_vpc")]
    public JsonElement? FuncVpc { get; init; }

    [JsonPropertyName("endpoint_tenant_vpc")]
    public JsonElement? EndpointTenantVpc { get; init; }

    [JsonPropertyName("mount_config")]
    public MountConfig? MountConfig { get; init; }

    [JsonPropertyName("heartbeat")]
    public Heartbeat Heartbeat { get; init; } = new();

    [JsonPropertyName("async_config_loaded")]
    public bool AsyncConfigLoaded { get; init; }

    [JsonPropertyName("network_controller")]
    public NetworkController NetworkController { get; init; } = new();

    [JsonPropertyName("user_agency")]
    public UserAgency UserAgency { get; init; } = new();
}

public sealed record YrExtendedMetaData : ExtendedMetaDataBase
{
    [JsonPropertyName("mount_config")]
    public MountConfig MountConfig { get; init; } = new(new MountUser());

    [JsonPropertyName("user_type")]
    public string UserType { get; init; } = "";

    [JsonPropertyName("instance_meta_data")]
    public required YrInstanceMetaData InstanceMetaData { get; init; }

    [JsonPropertyName("extended_handler")]
    public Dictionary<string, string>? ExtendedHandler { get; init; }

    [JsonPropertyName("extended_timeout")]
    public Dictionary<string, long>? ExtendedTimeout { get; init; }

    [JsonPropertyName("device")]
    public required FunctionDevice Device { get; init; }
}