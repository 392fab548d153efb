namespace Warren;

/// <summary>AMQP headers Warren sets on the messages it publishes, beyond the ones a message type declares.</summary>
public static class MessageHeaders
{
    /// <summary>
    /// The id of the message whose handler published this one (its <see cref="MessageContext.MessageId"/>): what caused
    /// it. Set on every publish made inside a handler; read it as <see cref="MessageContext.CausationId"/>.
    /// </summary>
    public const string CausationId = "x-warren-causation-id";
}
