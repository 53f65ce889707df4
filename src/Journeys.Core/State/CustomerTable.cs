using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Journeys.State;

/// <summary>A partition's customers by id: an open-addressing table with linear probing, built for the per-event path,
/// which is bound by cache misses when customers outnumber the caches.
/// <list type="bullet">
/// <item>A slot holds the customer, the full hash, the id, and the customer's <em>quiet</em> mark. An id of up to
/// <see cref="MaxInlineId"/> ASCII characters (most numeric and short ids) sits in the slot itself as bytes; a longer or
/// non-ASCII id sits in one shared character array and the slot says where. Ids are compared there, never through the
/// customer object: a lookup reads one slot (32 bytes, two to a cache line), plus a few characters of the shared array
/// for a long id.</item>
/// <item>Quiet: until the tick a slot's mark says, an event of a type nothing reads changes nothing for that customer (no
/// <c>when</c> entry can fire): the processor answers it from the slot alone, without touching the customer's objects
/// (<see cref="IsQuiet"/>). The processor sets the mark when it finds a customer settled and clears it on any change
/// that could unsettle them.</item>
/// </list>
/// <para>The hash is <see cref="string.GetHashCode()"/> (randomised per process), so ids an attacker chooses cannot
/// force collisions. Customers are removed only by an operator's erase or merge and by idle eviction
/// (<see cref="Remove"/>, in CustomerTable.Remove.cs). Single-threaded, like its partition.</para></summary>
internal sealed partial class CustomerTable : IEnumerable<CustomerState>
{
    private const int MinimumCapacity = 16;

    private Slot[] _slots = new Slot[MinimumCapacity];
    private int _mask = MinimumCapacity - 1;
    private char[] _ids = new char[256]; // the characters of ids too long (or not ASCII) to sit in their slot
    private int _idsLength;

    /// <summary>The longest id kept in its slot (as ASCII bytes); a longer or non-ASCII id sits in the shared array.</summary>
    internal const int MaxInlineId = 11;

    private const byte IdInArray = byte.MaxValue; // IdLength of an id in the shared array: Id holds its start and length

    private struct Slot
    {
        public CustomerState? Customer;
        public long QuietUntil; // ticks; 0: not quiet
        public int Hash;
        public byte IdLength;   // 0 to MaxInlineId: the id's ASCII bytes are in Id; IdInArray: see IdStart and IdArrayLength
        public InlineId Id;

        public readonly int IdStart => MemoryMarshal.Read<int>(Id);

        public readonly int IdArrayLength => MemoryMarshal.Read<int>(((ReadOnlySpan<byte>)Id)[4..]);
    }

    /// <summary>The bytes a slot takes (two to a cache line).</summary>
    internal static int SlotSize => Unsafe.SizeOf<Slot>();

    [InlineArray(MaxInlineId)]
    private struct InlineId
    {
        private byte _first;
    }

    /// <summary>How many customers the table holds.</summary>
    public int Count { get; private set; }

    /// <summary>The hash the table files <paramref name="id"/> under; computed once per event and handed to
    /// <see cref="Prefetch"/>, <see cref="IsQuiet"/> and <see cref="TryGetValue(string, int, out CustomerState?)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(string id) => id.GetHashCode();

    /// <summary>Finds a customer by id.</summary>
    public bool TryGetValue(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CustomerState? customer) =>
        TryGetValue(id, Hash(id), out customer);

    /// <summary>Finds a customer by id, given its <see cref="Hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(string id, int hash, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CustomerState? customer)
    {
        var index = Find(id, hash);
        customer = index >= 0 ? _slots[index].Customer : null;
        return customer is not null;
    }

    /// <summary>True when the customer is known and quiet at <paramref name="nowTicks"/> (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsQuiet(string id, int hash, long nowTicks)
    {
        var index = Find(id, hash);
        return index >= 0 && nowTicks < _slots[index].QuietUntil;
    }

    /// <summary>Marks a customer quiet until <paramref name="untilTicks"/> (0: not quiet).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetQuiet(CustomerState customer, long untilTicks) => _slots[customer.Slot].QuietUntil = untilTicks;

    /// <summary>Until when the customer is quiet (0: not quiet).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long QuietUntil(CustomerState customer) => _slots[customer.Slot].QuietUntil;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(string id, int hash)
    {
        var slots = _slots;
        for (var i = hash & _mask; ; i = (i + 1) & _mask)
        {
            ref var slot = ref slots[i];
            if (slot.Customer is null)
            {
                return -1;
            }

            if (slot.Hash == hash && IdEquals(in slot, id))
            {
                return i;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IdEquals(in Slot slot, string id) =>
        slot.IdLength == IdInArray
            ? slot.IdArrayLength == id.Length && _ids.AsSpan(slot.IdStart, id.Length).SequenceEqual(id)
            : slot.IdLength == id.Length && System.Text.Ascii.Equals(((ReadOnlySpan<byte>)slot.Id)[..id.Length], id);

    /// <summary>What <see cref="Prefetch"/> asks the CPU to load, in the order a batch asks for them for one event.</summary>
    internal enum PrefetchStage
    {
        /// <summary>The slot the id's hash lands on.</summary>
        Slot,

        /// <summary>The id's characters, and the customer's state object unless the slot is quiet: for an event of a type
        /// nothing reads, a quiet customer's objects are most likely not read, and loading them would only take memory
        /// bandwidth from the loads that are needed.</summary>
        IdAndUnquietCustomer,

        /// <summary>The id's characters and the customer's state object.</summary>
        IdAndCustomer,

        /// <summary>The customer's per-journey array and activity array (read by an event of a type something reads).</summary>
        CustomerArrays,
    }

    /// <summary>Asks the CPU to start loading what applying an event for the id with <paramref name="hash"/> will read,
    /// so that the loads of several events overlap instead of waiting one after the other (memory-level parallelism).
    /// Each stage reads what the one before it should have brought (the slot, then the customer object). A lookup stays
    /// correct whatever was prefetched; on CPUs without a prefetch instruction this does nothing.
    /// <para>Why this is safe: a prefetch is a hint that never faults and never changes program state. Addresses are
    /// taken from references and used only as that hint; if a garbage collection moves an object in between, the hint
    /// warms a stale line and the lookup simply misses as it would have. The slot read is the one the hash lands on; when
    /// the id sits further along (a collision), another customer's lines are warmed, which is harmless.</para></summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int hash, PrefetchStage stage)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        ref var slot = ref _slots[hash & _mask];
        if (stage == PrefetchStage.Slot)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
            return;
        }

        if (slot.Customer is not { } customer)
        {
            return;
        }

        if (stage == PrefetchStage.CustomerArrays)
        {
            var journeys = customer.MemoryArray;
            var memory = (byte*)Unsafe.As<JourneyMemory[], nint>(ref journeys);
            for (var line = 0; line < 4; line++)
            {
                Sse.Prefetch0(memory + (64 * line));
            }

            if (customer.Activity.Data is { } activity)
            {
                var data = (byte*)Unsafe.As<long[], nint>(ref activity);
                Sse.Prefetch0(data);
                Sse.Prefetch0(data + 64);
            }

            return;
        }

        if (slot.IdLength == IdInArray)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _ids[slot.IdStart]));
        }

        if (stage == PrefetchStage.IdAndCustomer || slot.QuietUntil == 0)
        {
            var address = (byte*)Unsafe.As<CustomerState, nint>(ref customer);
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
        }
    }

    /// <summary>For a loop over resident customers it already holds (a schedule's zone): asks the CPU to start loading
    /// <paramref name="customer"/>'s state object (<paramref name="objectOnly"/>) or, once that is in, what entering the
    /// customer reads next: its table slot (the id of its decisions) and its traits (the guard).
    /// A hint only, safe for the reasons <see cref="Prefetch"/> gives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe void PrefetchResident(CustomerState customer, bool objectOnly)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (objectOnly)
        {
            var address = (byte*)Unsafe.As<CustomerState, nint>(ref customer);
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
            Sse.Prefetch0(address + 128); // the first journey's memory is in the object
            return;
        }

        if ((uint)customer.Slot < (uint)_slots.Length)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[customer.Slot]));
        }

        if (customer.Traits.PairsArray is { } pairs)
        {
            Sse.Prefetch0((byte*)Unsafe.As<KeyValuePair<string, Value>[], nint>(ref pairs));
        }
    }

    /// <summary>The id of <paramref name="customer"/>, which this table holds, as a string. The last one made is kept,
    /// so the decisions and messages of one customer's event or timer share one string.</summary>
    public string IdOf(CustomerState customer)
    {
        ref var slot = ref _slots[customer.Slot];
        if (!ReferenceEquals(slot.Customer, customer))
        {
            throw new InvalidOperationException("The customer is not in this table.");
        }

        if (ReferenceEquals(_lastIdOf, customer))
        {
            return _lastId!;
        }

        var id = slot.IdLength == IdInArray
            ? new string(_ids, slot.IdStart, slot.IdArrayLength)
            : string.Create(slot.IdLength, slot.Id, static (chars, bytes) => System.Text.Ascii.ToUtf16(((ReadOnlySpan<byte>)bytes)[..chars.Length], chars, out _));
        (_lastIdOf, _lastId) = (customer, id);
        return id;
    }

    private CustomerState? _lastIdOf;
    private string? _lastId;

    /// <summary>From now until another customer's id is made or remembered, <see cref="IdOf"/> gives
    /// <paramref name="id"/> — a string equal to the customer's id that exists anyway (the event's being applied) — for
    /// <paramref name="customer"/>: the decisions and messages an event causes then share its string instead of making one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RememberId(CustomerState customer, string id) => (_lastIdOf, _lastId) = (customer, id);

    /// <summary>Adds a customer, or replaces the one with the same id (the replacement is not quiet). From then on the
    /// table holds the customer's id (<see cref="CustomerState.Id"/> asks <see cref="IdOf"/>).</summary>
    public void Set(CustomerState customer)
    {
        var id = customer.Id;
        var hash = Hash(id);
        var existing = Find(id, hash);
        if (existing >= 0)
        {
            var replaced = _slots[existing].Customer!;
            if (ReferenceEquals(_lastIdOf, replaced))
            {
                _lastIdOf = null;
            }

            replaced.IdHeldBy(id); // whatever still refers to it (a stale timer) can still tell whose it was
            _slots[existing].Customer = customer;
            _slots[existing].QuietUntil = 0;
            customer.Slot = existing;
            customer.IdHeldBy(this);
            return;
        }

        var i = hash & _mask;
        while (_slots[i].Customer is not null)
        {
            i = (i + 1) & _mask;
        }

        ref var slot = ref _slots[i];
        slot = new Slot { Customer = customer, Hash = hash };
        if (id.Length <= MaxInlineId && System.Text.Ascii.IsValid(id))
        {
            slot.IdLength = (byte)id.Length;
            System.Text.Ascii.FromUtf16(id, slot.Id, out _);
        }
        else
        {
            if (_idsLength + id.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idsLength + id.Length));
            }

            id.CopyTo(_ids.AsSpan(_idsLength));
            slot.IdLength = IdInArray;
            MemoryMarshal.Write(slot.Id, _idsLength);
            MemoryMarshal.Write(((Span<byte>)slot.Id)[4..], id.Length);
            _idsLength += id.Length;
            _idsLive += id.Length;
        }

        customer.Slot = i;
        customer.IdHeldBy(this);
        if (++Count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    private void Grow() => Resize(_slots.Length * 2);

    private void Resize(int length)
    {
        var old = _slots;
        _slots = new Slot[length];
        _mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Customer is null)
            {
                continue;
            }

            var i = slot.Hash & _mask;
            while (_slots[i].Customer is not null)
            {
                i = (i + 1) & _mask;
            }

            _slots[i] = slot;
            slot.Customer.Slot = i;
        }
    }

    /// <summary>The customers, in no particular order.</summary>
    /// <summary>Copies the customers into <paramref name="into"/> (at least <see cref="Count"/> long), in slot order,
    /// without reading any customer object; returns how many were copied.</summary>
    internal int CopyCustomersTo(CustomerState[] into)
    {
        var n = 0;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.Customer is { } customer)
            {
                into[n++] = customer;
            }
        }

        return n;
    }

    public IEnumerator<CustomerState> GetEnumerator()
    {
        foreach (var slot in _slots)
        {
            if (slot.Customer is { } customer)
            {
                yield return customer;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
