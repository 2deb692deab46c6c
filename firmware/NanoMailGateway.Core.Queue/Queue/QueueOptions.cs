// Settings of the flash queue. MailGateway.QueueOptionsFrom maps them from the board profile
// (queue capacity, segment size, write unit, reserve, queue_max_messages); the queue
// never reads configuration itself (ARCHITECTURE.md, Settings: settings through constructors).
//
//   setting        default (192 KB store)  why
//   capacity       from the profile        the board cannot report free space (GetSizeInfo = -1)
//   segment size   16384                   small enough that one stuck message pins little,
//                                          large enough that headers and waste stay < 1 %
//   write unit     2048                    the ESP32 driver writes (and flushes) on every
//                                          Write: appends are gathered to this many bytes
//   reserve        3 segments              status records, bounces and compaction may use it
//                  (at least 2 segments + 3 blocks),
//                                          new mail may not (RFC 3463 4.3.1 before that)
//   max messages   queue_max_messages      bounds the RAM index entries of outbound mail
//   mailbox budget mailbox_max_messages,   messages held only in local mailboxes count here, not
//                  mailbox_capacity        against max messages, so unread POP3 mail never takes
//                                          outbound mail's entries (README, Capacity)
//   max writers    4                       messages being received at once (one buffer each)

using System;

namespace NanoMailGateway.Core.Queue
{
    /// <summary>Immutable settings of a <see cref="MessageStore"/>.</summary>
    public sealed class QueueOptions
    {
        /// <summary>LittleFS allocation unit: capacity is counted in whole blocks of this size.</summary>
        public const int BlockSize = 4096;

        /// <summary>Creates and checks the settings.</summary>
        /// <param name="capacityBytes">The queue's share of the flash, bytes (rounded down to 4 KiB blocks).</param>
        /// <param name="segmentSize">Bytes per segment file, 4096..1048576.</param>
        /// <param name="writeUnit">Bytes gathered per append (also each writer's buffer), 256..segmentSize/4.</param>
        /// <param name="reserveBytes">Bytes new mail may not use; at least <see cref="MinimumReserve"/>.</param>
        /// <param name="maxMessages">Messages in the queue at most (the RAM index bound), at least 2.</param>
        /// <param name="maxWriters">Messages being written at once, at least 1.</param>
        /// <exception cref="ArgumentException">a value is out of range.</exception>
        public QueueOptions(long capacityBytes, int segmentSize, int writeUnit, long reserveBytes, int maxMessages, int maxWriters)
        {
            if (segmentSize < 4096 || segmentSize > 1048576) throw new ArgumentException("segment size must be 4096..1048576");
            if (writeUnit < 256 || writeUnit > segmentSize / 4) throw new ArgumentException("write unit must be 256..segment size / 4");
            if (maxMessages < 2) throw new ArgumentException("max messages must be at least 2");
            if (maxWriters < 1) throw new ArgumentException("max writers must be at least 1");
            CapacityBytes = capacityBytes / BlockSize * BlockSize;
            SegmentSize = segmentSize;
            WriteUnit = writeUnit;
            MaxMessages = maxMessages;
            MaxWriters = maxWriters;
            // Compaction copies at most one segment's live pieces plus commit records, and
            // the active segment may round up to one more block. Twice that: a power cut in
            // the middle of a copy leaves a dead partial copy, and the copy must still fit
            // when it is done again after the reboot.
            CompactionReserve = 2L * segmentSize + 2L * BlockSize;
            if (reserveBytes < MinimumReserve) throw new ArgumentException("reserve must be at least 2 segments + 3 blocks");
            ReserveBytes = reserveBytes;
            if (CapacityBytes < reserveBytes + 2L * segmentSize) throw new ArgumentException("capacity must hold the reserve and two segments");
            ReservedLocalMessages = maxMessages / 16 < 1 ? 1 : maxMessages / 16;
            MailboxMessages = maxMessages;
            MailboxBytes = CapacityBytes / 4;
        }

        /// <summary>As the main constructor, with the local mailboxes' own budget.</summary>
        /// <param name="mailboxMessages">Messages held in local mailboxes at most, at least 1 (on top of <paramref name="maxMessages"/>).</param>
        /// <param name="mailboxBytes">Octets held in local mailboxes at most, at least one block.</param>
        public QueueOptions(long capacityBytes, int segmentSize, int writeUnit, long reserveBytes, int maxMessages, int maxWriters,
            int mailboxMessages, long mailboxBytes)
            : this(capacityBytes, segmentSize, writeUnit, reserveBytes, maxMessages, maxWriters)
        {
            if (mailboxMessages < 1) throw new ArgumentException("mailbox messages must be at least 1");
            if (mailboxBytes < BlockSize || mailboxBytes > CapacityBytes - reserveBytes) throw new ArgumentException("mailbox capacity must be 4 KB..capacity less the reserve");
            MailboxMessages = mailboxMessages;
            MailboxBytes = mailboxBytes;
        }

        /// <summary>Defaults for a store of <paramref name="capacityBytes"/>: 16 KiB segments, 2 KiB write unit, reserve of 3 segments.</summary>
        public static QueueOptions ForCapacity(long capacityBytes, int maxMessages)
        {
            return new QueueOptions(capacityBytes, 16384, 2048, 3 * 16384, maxMessages, 4);
        }

        /// <summary>Smallest reserve accepted: compaction's share plus one block for status records and bounces.</summary>
        public long MinimumReserve => CompactionReserve + BlockSize;

        /// <summary>The queue's share of the flash in bytes, whole 4 KiB blocks.</summary>
        public long CapacityBytes { get; }

        /// <summary>Bytes per segment file.</summary>
        public int SegmentSize { get; }

        /// <summary>Bytes gathered before one append; also the size of each writer's buffer.</summary>
        public int WriteUnit { get; }

        /// <summary>Bytes the listener may not use (452 4.3.1 before that).</summary>
        public long ReserveBytes { get; }

        /// <summary>Bytes that only compaction and status records may use (bounces stop above it).</summary>
        public long CompactionReserve { get; }

        /// <summary>Most messages in the index (committed plus being written).</summary>
        public int MaxMessages { get; }

        /// <summary>Index entries kept for locally generated messages (bounces): the listener stops earlier.</summary>
        public int ReservedLocalMessages { get; }

        /// <summary>Messages held only in local mailboxes at most (their own index entries).</summary>
        public int MailboxMessages { get; }

        /// <summary>Octets held in local mailboxes at most: what outbound mail can always count on is the rest.</summary>
        public long MailboxBytes { get; }

        /// <summary>Most messages being written at once (each holds one write-unit buffer).</summary>
        public int MaxWriters { get; }
    }
}
