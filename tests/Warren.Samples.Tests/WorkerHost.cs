using Microsoft.Extensions.Hosting;
using Warren.Samples.WorkerService;

namespace Warren.Samples.Tests;

/// <summary>The worker sample's host, built by the worker's own code.</summary>
internal static class WorkerHost
{
    /// <summary>
    /// samples/WorkerService, where <c>dotnet run</c> finds the worker's appsettings.json. Not the tests' output folder:
    /// the web API's appsettings.json is copied there too, under the same name.
    /// </summary>
    public static string ContentRoot { get; } = SampleOutput.ProjectFolder("WorkerService");

    /// <summary>
    /// The host <c>dotnet run --project samples/WorkerService -- &lt;settings&gt;</c> runs: the worker's appsettings.json,
    /// then these command-line settings (<c>--Warren:Uri=...</c>) over it. Not started.
    /// </summary>
    public static IHost Build(params string[] settings) => ShopWorker.CreateBuilder(["--contentRoot", ContentRoot, .. settings]).Build();
}
