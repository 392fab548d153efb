using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Warren.Internal;

namespace Warren.Hosting;

/// <summary>
/// Validates Warren's options when the host starts (<c>ValidateOnStart</c>), naming each setting that cannot work by its
/// configuration path (<c>Warren:Consumers:OrderConsumer:Prefetch</c>) or, for options set in code, its property
/// (<c>BusOptions.Prefetch</c>). Configuration is read again into a scratch object to find what could not be read at all.
/// </summary>
internal abstract class WarrenOptionsValidator<TOptions>(WarrenSetup setup) : IValidateOptions<TOptions>
    where TOptions : class, new()
{
    protected WarrenSetup Setup => setup;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!Applies(name ?? Options.DefaultName))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> problems = [];
        IConfiguration? section = SectionOf(name ?? Options.DefaultName);
        if (section is not null)
        {
            Bind(section, new TOptions(), problems);
        }

        string prefix = section is null ? CodePrefix(name ?? Options.DefaultName) : PathPrefix(section);
        Check(name ?? Options.DefaultName, options, prefix, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Whether options of this name are Warren's to validate.</summary>
    protected abstract bool Applies(string name);

    /// <summary>The configuration section of these options, when Warren reads configuration.</summary>
    protected abstract IConfiguration? SectionOf(string name);

    /// <summary>How a problem names a setting of options set in code.</summary>
    protected abstract string CodePrefix(string name);

    protected abstract void Bind(IConfiguration section, TOptions options, List<string> problems);

    /// <summary>Adds what cannot work in the options' values, each prefixed with <paramref name="prefix"/>.</summary>
    protected abstract void Check(string name, TOptions options, string prefix, List<string> problems);

    /// <summary>The named section under Warren's, if configuration is read and has it.</summary>
    protected IConfiguration? Named(string section, string name) =>
        setup.Configuration?.GetSection(section).GetSection(name) is { } named && named.Exists() ? named : null;

    protected static void Add(List<string> problems, string prefix, IEnumerable<(string Setting, string Problem)> found) =>
        problems.AddRange(OptionProblems.Describe(prefix, found));

    private static string PathPrefix(IConfiguration section) =>
        section is IConfigurationSection { Path: { Length: > 0 } path } ? path + ConfigurationPath.KeyDelimiter : string.Empty;
}

internal sealed class BusOptionsValidator(WarrenSetup setup) : WarrenOptionsValidator<BusOptions>(setup)
{
    protected override bool Applies(string name) => name == Options.DefaultName;

    protected override IConfiguration? SectionOf(string name) => Setup.Configuration;

    protected override string CodePrefix(string name) => "BusOptions.";

    protected override void Bind(IConfiguration section, BusOptions options, List<string> problems)
    {
        OptionsBinding.Bind(section, options, problems);
        // A named section that configures nothing this host runs: a typo in a class name, or a consumer not added.
        CheckNames(section, OptionsBinding.Consumers, Setup.Endpoints.Where(e => e.Section == OptionsBinding.Consumers).Select(e => e.Name), "consumer", problems);
        CheckNames(section, OptionsBinding.RpcServers, Setup.Endpoints.Where(e => e.Section == OptionsBinding.RpcServers).Select(e => e.Name), "RPC server", problems);
        CheckNames(section, OptionsBinding.RpcClients, Setup.Clients, "RPC client", problems);
    }

    protected override void Check(string name, BusOptions options, string prefix, List<string> problems) => Add(problems, prefix, options.Problems());

    private static void CheckNames(IConfiguration section, string key, IEnumerable<string> registered, string what, List<string> problems)
    {
        string[] names = registered.ToArray();
        foreach (IConfigurationSection named in section.GetSection(key).GetChildren())
        {
            if (!names.Contains(named.Key, StringComparer.Ordinal))
            {
                string known = names.Length == 0 ? $"this host has no {what}" : $"this host's are {string.Join(", ", names)}";
                problems.Add($"{named.Path} configures no {what} of this host ({known}); the section's name is the class or interface name");
            }
        }
    }
}

internal sealed class SubscribeOptionsValidator(WarrenSetup setup) : WarrenOptionsValidator<SubscribeOptions>(setup)
{
    protected override bool Applies(string name) => Setup.Find(OptionsBinding.Consumers, name) is not null;

    protected override IConfiguration? SectionOf(string name) => Named(OptionsBinding.Consumers, name);

    protected override string CodePrefix(string name) => $"SubscribeOptions of {name}: ";

    protected override void Bind(IConfiguration section, SubscribeOptions options, List<string> problems) => OptionsBinding.Bind(section, options, problems);

    protected override void Check(string name, SubscribeOptions options, string prefix, List<string> problems)
    {
        // The subscription's own rules: what the message's exchange or queue can take, and the ranges.
        if (Setup.Find(OptionsBinding.Consumers, name)!.CheckSubscription(options) is { } problem)
        {
            problems.Add($"{prefix.TrimEnd(':', ' ')}: {problem}");
        }
    }
}

internal sealed class ServeOptionsValidator(WarrenSetup setup) : WarrenOptionsValidator<ServeOptions>(setup)
{
    protected override bool Applies(string name) => Setup.Find(OptionsBinding.RpcServers, name) is not null;

    protected override IConfiguration? SectionOf(string name) => Named(OptionsBinding.RpcServers, name);

    protected override string CodePrefix(string name) => "ServeOptions.";

    protected override void Bind(IConfiguration section, ServeOptions options, List<string> problems) => OptionsBinding.Bind(section, options, problems);

    protected override void Check(string name, ServeOptions options, string prefix, List<string> problems) => Add(problems, prefix, options.Problems());
}

internal sealed class RpcClientOptionsValidator(WarrenSetup setup) : WarrenOptionsValidator<RpcClientOptions>(setup)
{
    protected override bool Applies(string name) => Setup.Clients.Contains(name);

    protected override IConfiguration? SectionOf(string name) => Named(OptionsBinding.RpcClients, name);

    protected override string CodePrefix(string name) => "RpcClientOptions.";

    protected override void Bind(IConfiguration section, RpcClientOptions options, List<string> problems) => OptionsBinding.Bind(section, options, problems);

    protected override void Check(string name, RpcClientOptions options, string prefix, List<string> problems) => Add(problems, prefix, options.Problems());
}
