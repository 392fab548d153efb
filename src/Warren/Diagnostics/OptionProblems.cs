using System;
using System.Collections.Generic;
using System.Linq;

namespace Warren.Internal;

/// <summary>
/// How Warren words what is wrong with options, in one place: each option type lists its problems as a setting (a
/// configuration path such as <c>Retry:MaxRetries</c>) and a phrase; this names the setting the way its reader knows it.
/// </summary>
internal static class OptionProblems
{
    /// <summary>Why a prefetch of 0 is refused, wherever a prefetch is set.</summary>
    public const string ZeroPrefetch = "must be at least 1 (RabbitMQ reads a prefetch of 0 as no limit at all)";

    /// <summary>
    /// Each problem as one line, the setting named after <paramref name="prefix"/>: a configuration path
    /// (<c>Warren:</c>) keeps the setting's colons, a type name (<c>BusOptions.</c>) turns them into dots.
    /// </summary>
    public static IEnumerable<string> Describe(string prefix, IEnumerable<(string Setting, string Problem)> problems) =>
        problems.Select(p => $"{prefix}{(prefix.EndsWith('.') ? p.Setting.Replace(':', '.') : p.Setting)} {p.Problem}");

    /// <summary>For options set in code: throws <see cref="ArgumentOutOfRangeException"/> naming every setting of <paramref name="typeName"/> that cannot work.</summary>
    public static void ThrowIfAny(string typeName, IEnumerable<(string Setting, string Problem)> problems)
    {
        string message = string.Join(" ", Describe(typeName + ".", problems).Select(line => line + "."));
        if (message.Length > 0)
        {
            throw new ArgumentOutOfRangeException(typeName, message);
        }
    }
}
