using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace Warren.Internal;

/// <summary>
/// A reusable buffer with its <see cref="Utf8JsonWriter"/>, so that serializing a message allocates nothing once warm.
/// Rented from the bus's <see cref="JsonWriterPool"/> for one publish (until the broker confirms), then returned.
/// </summary>
internal sealed class PooledJsonWriter : IBufferWriter<byte>
{
    private const int InitialSize = 512;

    private byte[] _buffer = new byte[InitialSize];
    private int _written;
    private readonly Utf8JsonWriter _writer;

    public PooledJsonWriter()
    {
        _writer = new Utf8JsonWriter(this, new JsonWriterOptions { SkipValidation = true });
    }

    public Utf8JsonWriter Writer => _writer;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public int Capacity => _buffer.Length;

    public void Reset()
    {
        _written = 0;
        _writer.Reset(this);
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

/// <summary>
/// The bus's writers: one per publish awaiting its confirm, so the pool holds as many as the confirm window allows.
/// A process-wide pool sized by core count would miss on most publishes once a hundred confirms are in flight.
/// </summary>
internal sealed class JsonWriterPool(int capacity)
{
    private const int MaxRetainedBuffer = 1024 * 1024;
    private readonly Stack<PooledJsonWriter> _items = new(capacity);

    public PooledJsonWriter Rent()
    {
        lock (_items)
        {
            if (_items.TryPop(out PooledJsonWriter? writer))
            {
                return writer;
            }
        }

        return new PooledJsonWriter();
    }

    public void Return(PooledJsonWriter writer)
    {
        if (writer.Capacity > MaxRetainedBuffer)
        {
            return;
        }

        writer.Reset();
        lock (_items)
        {
            if (_items.Count < capacity)
            {
                _items.Push(writer);
            }
        }
    }
}
