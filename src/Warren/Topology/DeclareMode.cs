namespace Warren;

/// <summary>
/// Whether the bus declares the exchanges and queues it uses (<see cref="BusOptions.DeclareMode"/>). Temporary queues that
/// are the client's own (a subscription's exclusive server-named queue with its bindings, an RPC client's private reply
/// queue) are declared in every mode: nobody else can declare them beforehand.
/// </summary>
public enum DeclareMode
{
    /// <summary>
    /// Declares every exchange, queue, binding and error queue on first use, as the generated code describes them (the
    /// default). Needs configure permission on all of them.
    /// </summary>
    Declare,

    /// <summary>
    /// Declares nothing; before a subscription, an RPC server or a first publish or call uses them, checks that the
    /// exchanges and queues it would have declared exist (passive declares) and, where the user may configure them, that
    /// they have the same type, durability and arguments. Every difference found is reported at once in a
    /// <see cref="TopologyVerificationException"/>. Bindings are not checked: AMQP 0-9-1 cannot ask for them.
    /// </summary>
    Verify,

    /// <summary>
    /// Declares nothing and checks nothing: the operator owns the topology. Works for a user without configure permission.
    /// A missing queue fails the subscription with a <see cref="TopologyException"/>; a missing exchange or queue fails a
    /// publish as any unroutable publish does (<see cref="PublishInterruptedException"/>, <see cref="PublishReturnedException"/>).
    /// </summary>
    None,
}
