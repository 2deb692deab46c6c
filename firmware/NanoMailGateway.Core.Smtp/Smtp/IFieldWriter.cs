// Where the listener's own header fields go as they are composed (TraceHeaders):
// straight into the message's write unit (MessageSink), a piece at a time, so that a
// Received: field costs no string of its own and no byte[] copy per message. Text is
// ASCII (RFC 5322 §2.2: header fields are US-ASCII; no SMTPUTF8).

namespace NanoMailGateway.Core.Smtp
{
    /// <summary>Takes header field text piece by piece.</summary>
    public interface IFieldWriter
    {
        /// <summary>Writes the characters of <paramref name="text"/> as octets (ASCII).</summary>
        void Text(string text);

        /// <summary>Writes <paramref name="count"/> characters of <paramref name="text"/> from <paramref name="start"/>.</summary>
        void Text(string text, int start, int count);

        /// <summary>Writes <paramref name="value"/> (0 or more) in decimal, with leading zeros up to <paramref name="digits"/> digits.</summary>
        void Number(long value, int digits);
    }
}
