using System;
using System.Buffers;
using System.Text.Json;
using System.Threading;

namespace Warren.Internal;

/// <summary>
/// A reusable buffer with its <see cref="Utf8JsonWriter"/>, so that serializing a message allocates nothing once warm.
/// Rented for the duration of one publish (until the broker confirms), then returned.
/// </summary>
internal sealed class PooledJsonWriter : IBufferWriter<byte>
{
    private const int InitialSize = 512;
    private const int MaxRetainedSize = 1024 * 1024;
    private static readonly PooledJsonWriter?[] Pool = new PooledJsonWriter?[Environment.ProcessorCount * 8];

    private byte[] _buffer = new byte[InitialSize];
    private int _written;
    private readonly Utf8JsonWriter _writer;

    private PooledJsonWriter()
    {
        _writer = new Utf8JsonWriter(this, new JsonWriterOptions { SkipValidation = true });
    }

    public Utf8JsonWriter Writer => _writer;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public static PooledJsonWriter Rent()
    {
        PooledJsonWriter?[] pool = Pool;
        for (int i = 0; i < pool.Length; i++)
        {
            PooledJsonWriter? item = pool[i];
            if (item is not null && Interlocked.CompareExchange(ref pool[i], null, item) == item)
            {
                return item;
            }
        }

        return new PooledJsonWriter();
    }

    public static void Return(PooledJsonWriter item)
    {
        item._written = 0;
        item._writer.Reset(item);
        if (item._buffer.Length > MaxRetainedSize)
        {
            return;
        }

        PooledJsonWriter?[] pool = Pool;
        for (int i = 0; i < pool.Length; i++)
        {
            if (Interlocked.CompareExchange(ref pool[i], item, null) is null)
            {
                return;
            }
        }
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
