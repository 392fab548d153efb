namespace Warren;

/// <summary>The <c>x-match</c> argument of a headers binding.</summary>
public enum HeadersMatch
{
    /// <summary>Every header of the binding must be present with its value (<c>x-match: all</c>).</summary>
    All = 0,

    /// <summary>At least one header of the binding must be present with its value (<c>x-match: any</c>).</summary>
    Any = 1,
}
