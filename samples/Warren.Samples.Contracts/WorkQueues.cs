using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

/// <summary>
/// Tutorial two: a task on the durable queue 'task_queue'. [Durable] also makes Warren publish it persistent
/// (delivery mode 2), so tasks survive a broker restart.
/// </summary>
[Queue(QueueName), Durable]
public sealed record WorkItem(string Payload)
{
    /// <summary>The queue the tutorial's new_task.py and worker.py share.</summary>
    public const string QueueName = "task_queue";
}

/// <summary>
/// The tutorial's worker.py: pretends to work one second per '.' in the task. Prefetch 1 is the tutorial's
/// <c>basic_qos(prefetch_count=1)</c>: a busy worker gets no new task until it has acknowledged the current one, which
/// Warren does when <see cref="HandleAsync"/> returns.
/// </summary>
[Consumer(Prefetch = 1)]
public sealed class Worker(Action<string>? output = null, TimeSpan? timePerDot = null) : IConsumer<WorkItem>
{
    private readonly Action<string> _output = output ?? Console.WriteLine;
    private readonly TimeSpan _timePerDot = timePerDot ?? TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public async ValueTask HandleAsync(WorkItem message, MessageContext context, CancellationToken cancellationToken)
    {
        _output($" [x] Received {message.Payload}");
        int dots = message.Payload.AsSpan().Count('.');
        await Task.Delay(_timePerDot * dots, cancellationToken);
        _output(" [x] Done");
    }
}
