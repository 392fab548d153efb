namespace Warren.Generators;

/// <summary>Metadata names the generator and the analyzers look for, in one place.</summary>
internal static class KnownNames
{
    public const string QueueAttribute = "Warren.QueueAttribute";
    public const string FanoutAttribute = "Warren.FanoutAttribute";
    public const string DirectAttribute = "Warren.DirectAttribute";
    public const string TopicAttribute = "Warren.TopicAttribute";
    public const string HeadersAttribute = "Warren.HeadersAttribute";
    public const string DurableAttribute = "Warren.DurableAttribute";
    public const string QueueArgumentsAttribute = "Warren.QueueArgumentsAttribute";
    public const string HeaderAttribute = "Warren.HeaderAttribute";
    public const string MessageAttribute = "Warren.MessageAttribute";
    public const string ConsumerAttribute = "Warren.ConsumerAttribute";
    public const string BindAttribute = "Warren.BindAttribute";
    public const string BindHeadersAttribute = "Warren.BindHeadersAttribute";
    public const string ConsumerInterface = "Warren.IConsumer`1";
    public const string RpcServiceAttribute = "Warren.RpcServiceAttribute";
    public const string RpcMethodAttribute = "Warren.RpcMethodAttribute";
    public const string RpcServerAttribute = "Warren.RpcServerAttribute";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string Task = "System.Threading.Tasks.Task";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonDerivedTypeAttribute = "System.Text.Json.Serialization.JsonDerivedTypeAttribute";
    public const string JsonPolymorphicAttribute = "System.Text.Json.Serialization.JsonPolymorphicAttribute";
    public const string JsonConverterAttribute = "System.Text.Json.Serialization.JsonConverterAttribute";
    public const string JsonIncludeAttribute = "System.Text.Json.Serialization.JsonIncludeAttribute";
    public const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    public const string MemberInfo = "System.Reflection.MemberInfo";
    public const string Stream = "System.IO.Stream";
    public const string Bus = "Warren.Bus";
    public const string BusInterface = "Warren.IBus";
    public const string WarrenServiceCollectionExtensions = "Microsoft.Extensions.DependencyInjection.WarrenServiceCollectionExtensions";
    public const string Delegate = "System.Delegate";
}

/// <summary>The names of the pipeline's steps, which tests use to check that unrelated edits leave them cached.</summary>
internal static class TrackingNames
{
    public const string QueueMessages = nameof(QueueMessages);
    public const string FanoutMessages = nameof(FanoutMessages);
    public const string DirectMessages = nameof(DirectMessages);
    public const string TopicMessages = nameof(TopicMessages);
    public const string HeadersMessages = nameof(HeadersMessages);
    public const string JsonContexts = nameof(JsonContexts);
    public const string MessagesWithContext = nameof(MessagesWithContext);
    public const string Consumers = nameof(Consumers);
    public const string RpcServices = nameof(RpcServices);
    public const string RpcServers = nameof(RpcServers);
    public const string HostingRegistration = nameof(HostingRegistration);
    public const string AssemblyName = nameof(AssemblyName);
    public const string Registration = nameof(Registration);
    public const string MessageContracts = nameof(MessageContracts);
    public const string ConsumerContracts = nameof(ConsumerContracts);
    public const string RpcServiceContracts = nameof(RpcServiceContracts);
    public const string RpcServerContracts = nameof(RpcServerContracts);
    public const string Contracts = nameof(Contracts);
    public const string ContractOptions = nameof(ContractOptions);
    public const string ContractDocuments = nameof(ContractDocuments);
    public const string ContractLockFile = nameof(ContractLockFile);
    public const string ContractLockCheck = nameof(ContractLockCheck);
}
