using Microsoft.Extensions.DependencyInjection;

namespace Warren;

/// <summary>
/// What <c>services.AddWarren(...)</c> returns: adds consumers, RPC servers and RPC clients to the host. The generated
/// <c>AddWarrenConsumers()</c> and <c>AddWarrenRpcServices()</c> of each assembly call its methods for everything that
/// assembly declares.
/// </summary>
public interface IWarrenBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
