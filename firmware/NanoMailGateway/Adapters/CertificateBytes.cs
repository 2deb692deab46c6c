// The bytes of a certificate file as nanoFramework's X509Certificate(byte[]) must get them.
// That constructor hands the array to mbedTLS unchanged, and mbedTLS reads a buffer as PEM
// only when its last byte is NUL (and as DER otherwise), so a PEM file read from I: fails
// to parse unless a terminator is added (the string constructors add one themselves).
// A PEM file may hold several certificates (a CA file with more than one root): mbedTLS
// parses every one of them from the same terminated buffer.
// Shared board/host source (pure logic): the host tests run it against a real mbedTLS.

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Prepares certificate files for mbedTLS. Static.</summary>
    public static class CertificateBytes
    {
        private const string PemBegin = "-----BEGIN ";

        /// <summary>
        /// PEM text (it contains "-----BEGIN ") not yet ending in NUL: a copy with a NUL
        /// appended. Anything else (DER, already terminated PEM) is returned as it is.
        /// </summary>
        public static byte[] ForMbedTls(byte[] data)
        {
            if (data.Length > 0 && data[data.Length - 1] == 0) return data;
            if (!ContainsPemBegin(data)) return data;
            byte[] terminated = new byte[data.Length + 1];
            System.Array.Copy(data, terminated, data.Length);
            return terminated;
        }

        private static bool ContainsPemBegin(byte[] data)
        {
            for (int i = 0; i + PemBegin.Length <= data.Length; i++)
            {
                int k = 0;
                while (k < PemBegin.Length && data[i + k] == (byte)PemBegin[k]) k++;
                if (k == PemBegin.Length) return true;
            }
            return false;
        }
    }
}
