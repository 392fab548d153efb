using System.Collections.Generic;

namespace Warren.Testing.Tests.Differential;

/// <summary>What a scenario's consumer does with each message: succeed, or throw on its first attempts (or on all of them).</summary>
/// <param name="Failures">Per message id ("*" for every message), how many attempts throw before one succeeds.</param>
public sealed record Behaviour(IReadOnlyDictionary<string, int> Failures)
{
    /// <summary>Publishes an <see cref="Alert"/> (severity "relay") for each message it handles, from inside the handler.</summary>
    public bool Relays { get; init; }

    public static Behaviour Relay { get; } = new(new Dictionary<string, int>()) { Relays = true };

    public const int Always = int.MaxValue;

    public static Behaviour Succeed { get; } = new(new Dictionary<string, int>());

    /// <summary>Throws on the first <paramref name="times"/> attempts of message <paramref name="id"/> ("*": of every message).</summary>
    public static Behaviour Fail(string id, int times) => new(new Dictionary<string, int> { [id] = times });

    public static Behaviour FailAlways(string id = "*") => Fail(id, Always);

    public Behaviour And(string id, int times) => new(new Dictionary<string, int>(Failures) { [id] = times });

    public bool Throws(string id, int attempt) =>
        (Failures.TryGetValue(id, out int times) || Failures.TryGetValue("*", out times)) && attempt <= times;
}
