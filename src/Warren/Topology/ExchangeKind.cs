namespace Warren;

/// <summary>Where a message type is published.</summary>
public enum ExchangeKind
{
    /// <summary>Straight to a queue through the default exchange.</summary>
    Queue = 0,

    /// <summary>A fanout exchange.</summary>
    Fanout = 1,

    /// <summary>A direct exchange.</summary>
    Direct = 2,

    /// <summary>A topic exchange.</summary>
    Topic = 3,

    /// <summary>A headers exchange.</summary>
    Headers = 4,
}
