// Tutorial two, "Work queues": new_task puts tasks on the durable queue 'task_queue'; every running worker takes
// one task at a time (prefetch 1) and acknowledges it when done, so a busy worker is not handed more.
using System;
using Warren;
using Warren.Samples;

const string Usage = """
    Usage:
      WorkQueues new_task [task...]   put one task on queue 'task_queue' (default "Hello World!"); each '.' is one second of work
      WorkQueues worker               do the tasks of queue 'task_queue' until Ctrl+C; start several to share them
    Example:
      WorkQueues worker
      WorkQueues new_task First message.
      WorkQueues new_task Second message..
    The broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
    """;

return await SampleProgram.RunAsync(args, Usage, static args => args switch
{
    ["new_task", .. var words] => NewTask(SampleProgram.TextOf(words)),
    ["worker"] => SampleProgram.Receive(bus => bus.SubscribeAsync(new Worker())),
    _ => null,
});

static SampleAction NewTask(string task) => async (bus, stopping) =>
{
    // WorkItem is [Durable]: the queue survives a broker restart and the message is published persistent.
    await bus.PublishAsync(new WorkItem(task), cancellationToken: stopping);
    Console.WriteLine($" [x] Sent {task}");
};
