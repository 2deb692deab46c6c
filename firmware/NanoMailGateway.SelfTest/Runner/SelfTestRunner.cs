// The self-test's check runner: each check runs inside its own try/catch, so an
// exception is a failure with its type and message, never an abort of the run. Output:
//   NanoMailGateway self-test
//   heap free at start: <N> bytes
//   ok   <name>
//   FAIL <name>: <why>
//   skip <name>: <why>      (a check for a bigger board than this one)
//   heap free at end: <N> bytes
//   <N> passed, <N> failed[, <N> skipped]
//   SELFTEST PASS | SELFTEST FAIL
// The verdict is printed, not returned as an exit code: nanoCLR does not report one.
// Left out on purpose: timing per check (no stopwatch worth trusting on the interpreter),
// filtering by name (no console input on a board).

using System;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Runs checks and counts them. One thread.</summary>
    public sealed class SelfTestRunner
    {
        private readonly ILineOutput _out;
        private int _passed;
        private int _failed;
        private int _skipped;

        /// <summary>Makes a runner printing to <paramref name="output"/>.</summary>
        public SelfTestRunner(ILineOutput output)
        {
            _out = output;
        }

        /// <summary>Checks that held so far.</summary>
        public int Passed => _passed;

        /// <summary>Checks that failed so far.</summary>
        public int Failed => _failed;

        /// <summary>Checks not run on this board (printed as skip, never counted as passed).</summary>
        public int Skipped => _skipped;

        /// <summary>
        /// Free heap when the run started (HeapProbe), for checks that need a board's whole
        /// heap; int.MaxValue when unknown (the host), so that every check runs.
        /// </summary>
        public int FreeHeapAtStart { get; set; } = int.MaxValue;

        /// <summary>Reports a check that does not apply to this board, with the reason.</summary>
        public void Skip(string name, string why)
        {
            _skipped++;
            _out.WriteLine("skip " + name + ": " + why);
        }

        /// <summary>First line of the output, so that a serial log shows where the run starts.</summary>
        public void Header()
        {
            _out.WriteLine("NanoMailGateway self-test");
        }

        /// <summary>Prints a line that is not a check (the heap probe's), as it is.</summary>
        public void Note(string line)
        {
            _out.WriteLine(line);
        }

        /// <summary>Runs one check and prints its line.</summary>
        public void Run(string name, Check check)
        {
            string? why = null;
            try
            {
                check();
            }
            catch (CheckFailedException e)
            {
                why = e.Message;
            }
            catch (Exception e)
            {
                // Type and message: enough to find the throw site in Core on a serial line.
                why = e.GetType().FullName + ": " + e.Message;
            }
            if (why == null)
            {
                _passed++;
                _out.WriteLine("ok   " + name);
            }
            else
            {
                _failed++;
                _out.WriteLine("FAIL " + name + ": " + OneLine(why));
            }
        }

        /// <summary>Prints the counts and the verdict; returns true when nothing failed.</summary>
        public bool Finish()
        {
            _out.WriteLine(_passed.ToString() + " passed, " + _failed.ToString() + " failed"
                + (_skipped > 0 ? ", " + _skipped.ToString() + " skipped" : ""));
            bool pass = _failed == 0 && _passed > 0;
            _out.WriteLine(pass ? "SELFTEST PASS" : "SELFTEST FAIL");
            return pass;
        }

        /// <summary>Keeps a failure on its line: CR and LF become spaces.</summary>
        private static string OneLine(string s)
        {
            if (s.IndexOf('\r') < 0 && s.IndexOf('\n') < 0) return s;
            char[] c = s.ToCharArray();
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] == '\r' || c[i] == '\n') c[i] = ' ';
            }
            return new string(c);
        }
    }
}
