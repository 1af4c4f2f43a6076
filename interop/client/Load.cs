// The load mode: lanes of WCF sessions against one service, each session's outcome as the client saw it.
//
//   InteropClient load URL [--via VIA_URL] --lanes N (--sessions M | --duration-ms D) [--calls K]
//     [--op echo:TEXT|delay:MS|burn:MS]... [--pooled | --unpooled] [--persistent] [--summary]
//     [--open-timeout-ms T] [--call-timeout-ms T] [--warmup-ms W] [--deadline-ms T] [--factory-per-lane]
//
// Churn (the default): N lanes run at once; each opens a channel, makes K calls (default 1; the ops taken in
// turn), closes it, and starts over, until M sessions were started in all or D ms have passed.
// --persistent: each lane opens one channel and calls back to back until it made K calls or D ms passed;
// a session that fails is replaced by a new one (a failed open counts against K, so a dead service cannot
// keep it busy). One ChannelFactory for the process (--factory-per-lane: one per lane), opened before the
// clock starts, as WCF applications keep theirs. --warmup-ms: the same shape runs W ms first, unreported.
//
// Prints one JSON line per session: {lane, session, ok, openMs, calls: [ms...], closeMs, ms} and, when it
// failed, stage (open|call|close), errorMs and error {type, message} (type: the exception's type name,
// e.g. TimeoutException, EndpointNotFoundException, CommunicationException; atDeadline when the run's
// deadline aborted it). Then one summary line
// ({"summary":true,...}); --summary prints only that. Always bounded: at --deadline-ms (default W + D + 60 s,
// or W + 300 s with --sessions) every live channel is aborted and the run ends. Exit 0 when it ran, whatever
// the outcomes; 2 for bad usage.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.ServiceModel;
using System.Text.Json;

public static class Load
{
    public const string Usage =
        "usage: InteropClient load URL [--via VIA_URL] --lanes N (--sessions M | --duration-ms D) [--calls K] " +
        "[--op echo:TEXT|delay:MS|burn:MS]... [--pooled | --unpooled] [--persistent] [--summary] " +
        "[--open-timeout-ms T] [--call-timeout-ms T] [--warmup-ms W] [--deadline-ms T] [--factory-per-lane]";

    sealed class Options
    {
        public string Url = "";
        public string? Via;
        public int Lanes;
        public long? Sessions;
        public int? DurationMs;
        public long? Calls;
        public List<Op> Ops = new();
        public bool Pooled = true;
        public bool Persistent;
        public bool Summary;
        public int OpenTimeoutMs = 10_000;
        public int CallTimeoutMs = 10_000;
        public int? DeadlineMs;
        public int WarmupMs;
        public bool FactoryPerLane;
    }

    // Why the arguments are not a run, or null with the options filled in.
    static string? Parse(string[] args, Options o)
    {
        static bool Positive(string s, out int n) => int.TryParse(s, out n) && n > 0;
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "--via": o.Via = Next() ?? ""; if (!Endpoints.Supports(o.Via)) return $"--via: not a net.tcp:// or http:// URL: '{o.Via}'"; break;
                case "--lanes": { var v = Next() ?? ""; if (!Positive(v, out var n) || n > 4096) return $"--lanes: want 1..4096, got '{v}'"; o.Lanes = n; break; }
                case "--sessions": { var v = Next() ?? ""; if (!Positive(v, out var n)) return $"--sessions: want a positive integer, got '{v}'"; o.Sessions = n; break; }
                case "--duration-ms": { var v = Next() ?? ""; if (!Positive(v, out var n)) return $"--duration-ms: want a positive integer, got '{v}'"; o.DurationMs = n; break; }
                case "--calls": { var v = Next() ?? ""; if (!(int.TryParse(v, out var n) && n >= 0)) return $"--calls: want an integer >= 0, got '{v}'"; o.Calls = n; break; }
                case "--op": { var v = Next() ?? ""; if (Op.Parse(v, allowFault: false) is not { } op) return $"--op: want echo:TEXT, delay:MS or burn:MS, got '{v}'"; o.Ops.Add(op); break; }
                case "--open-timeout-ms": { var v = Next() ?? ""; if (!Positive(v, out var n)) return $"--open-timeout-ms: want a positive integer, got '{v}'"; o.OpenTimeoutMs = n; break; }
                case "--call-timeout-ms": { var v = Next() ?? ""; if (!Positive(v, out var n)) return $"--call-timeout-ms: want a positive integer, got '{v}'"; o.CallTimeoutMs = n; break; }
                case "--warmup-ms": { var v = Next() ?? ""; if (!(int.TryParse(v, out var n) && n >= 0)) return $"--warmup-ms: want an integer >= 0, got '{v}'"; o.WarmupMs = n; break; }
                case "--deadline-ms": { var v = Next() ?? ""; if (!Positive(v, out var n)) return $"--deadline-ms: want a positive integer, got '{v}'"; o.DeadlineMs = n; break; }
                case "--pooled": o.Pooled = true; break;
                case "--unpooled": o.Pooled = false; break;
                case "--persistent": o.Persistent = true; break;
                case "--summary": o.Summary = true; break;
                case "--factory-per-lane": o.FactoryPerLane = true; break;
                default:
                    if (o.Url == "" && Endpoints.Supports(a)) { o.Url = a; break; }
                    return $"unexpected argument '{a}'";
            }
        }
        if (o.Url == "") return "a net.tcp:// or http:// URL is required";
        if (o.Lanes == 0) return "--lanes is required";
        if (o.Persistent)
        {
            if (o.Sessions is not null) return "--sessions does not go with --persistent (bound it by --calls or --duration-ms)";
            if (o.Calls is null && o.DurationMs is null) return "--persistent needs --calls or --duration-ms";
        }
        else if (o.Sessions is null && o.DurationMs is null) return "one of --sessions or --duration-ms is required";
        if (o.Ops.Count == 0) o.Ops.Add(new Op("echo", "hello"));
        return null;
    }

    sealed class Session
    {
        public int Lane;
        public long Index;
        public double OpenMs = double.NaN;
        public readonly List<double> Calls = new();
        public double CloseMs = double.NaN;
        public double Ms;
        public string? Stage;
        public double ErrorMs;
        public string? ErrorType;
        public object? Error;
        // It failed after the deadline fired: aborted by the run, not by the service.
        public bool AtDeadline;
        public bool Ok => Stage is null;
    }

    // What the run saw, added to as sessions end (under its own lock).
    sealed class Tally
    {
        public long SessionsOk, SessionsFailed, SessionsAtDeadline, CallsOk, CallsFailed;
        public readonly Dictionary<string, long> ByType = new();
        public readonly Dictionary<string, long> ByStage = new();
        public readonly List<double> SessionMs = new(), OpenMs = new(), CallMs = new();

        public void Add(Session s)
        {
            lock (this)
            {
                CallsOk += s.Calls.Count;
                CallMs.AddRange(s.Calls);
                if (!double.IsNaN(s.OpenMs)) OpenMs.Add(s.OpenMs);
                if (s.Ok) { SessionsOk++; SessionMs.Add(s.Ms); return; }
                SessionsFailed++;
                if (s.AtDeadline) SessionsAtDeadline++;
                if (s.Stage == "call") CallsFailed++;
                ByType[s.ErrorType!] = ByType.GetValueOrDefault(s.ErrorType!) + 1;
                ByStage[s.Stage!] = ByStage.GetValueOrDefault(s.Stage!) + 1;
            }
        }
    }

    // One stretch of the run: the warm-up, or the run that is reported.
    sealed class Phase
    {
        public int? DurationMs;
        public long? Sessions;
        public long? Calls;
        public bool Print;
        public long Claimed;
        public long Started;
        public double CpuAtStart;
        public readonly Tally Tally = new();
        public bool TimeUp() => DurationMs is { } d && Ms(Started) >= d;
    }

    static double Ms(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    // The q-quantile (nearest rank) of sorted values, NaN-free: 0 when there are none.
    static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    static object Spread(List<double> values)
    {
        values.Sort();
        return new { p50 = Quantile(values, 0.5), p99 = Quantile(values, 0.99), max = values.Count == 0 ? 0 : values[^1], n = values.Count };
    }

    public static async Task<int> Run(string[] args)
    {
        var o = new Options();
        if (Parse(args, o) is { } why)
        {
            Console.Error.WriteLine($"InteropClient load: {why}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        // WCF's transport still blocks pool threads in places; without this the pool's slow growth (one
        // thread per ~0.5 s under starvation) would be measured instead of the client.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, o.Lanes + 4), Math.Max(io, o.Lanes + 4));

        var binding = Endpoints.Create(o.Url, o.Pooled, TimeSpan.FromMilliseconds(o.OpenTimeoutMs), TimeSpan.FromMilliseconds(o.CallTimeoutMs));
        var factories = new List<ChannelFactory<IInteropService>>();
        ChannelFactory<IInteropService> NewFactory()
        {
            var f = new ChannelFactory<IInteropService>(binding, new EndpointAddress(o.Url));
            f.Open();
            lock (factories) factories.Add(f);
            return f;
        }
        var shared = o.FactoryPerLane ? null : NewFactory();
        var laneFactories = new ChannelFactory<IInteropService>?[o.Lanes];
        ChannelFactory<IInteropService> FactoryOf(int lane) => shared ?? (laneFactories[lane] ??= NewFactory());

        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        void Print(object line)
        {
            var json = JsonSerializer.Serialize(line);
            lock (stdout) stdout.WriteLine(json);
        }

        var live = new ConcurrentDictionary<IClientChannel, byte>();
        bool stop = false;
        bool deadlineHit = false; // written once, by the deadline's callback
        int deadlineMs = o.DeadlineMs ?? o.WarmupMs + (o.DurationMs is { } d ? d + 60_000 : 300_000);

        using var deadline = new CancellationTokenSource(deadlineMs);
        deadline.Token.Register(() =>
        {
            Volatile.Write(ref deadlineHit, true);
            Volatile.Write(ref stop, true);
            foreach (var c in live.Keys) c.Abort();
        });

        // One session: open, up to `maxCalls` calls (fewer once `until` says so), close. Returns the calls it tried.
        async Task<long> RunSession(Phase phase, int lane, long index, long maxCalls, Func<bool> until)
        {
            var s = new Session { Lane = lane, Index = index };
            var channel = Endpoints.Channel(FactoryOf(lane), o.Url, o.Via);
            var client = (IClientChannel)channel;
            live.TryAdd(client, 0);
            if (Volatile.Read(ref stop)) client.Abort();
            long t0 = Stopwatch.GetTimestamp();
            long step = t0;
            long tried = 0;
            void Fail(string stage, Exception e)
            {
                s.Stage = stage;
                s.ErrorMs = Ms(step);
                s.ErrorType = Endpoints.TypeName(e);
                s.Error = Endpoints.Failure(e);
                s.AtDeadline = Volatile.Read(ref deadlineHit);
                client.Abort();
            }
            try
            {
                await Task.Factory.FromAsync(client.BeginOpen, client.EndOpen, null);
                s.OpenMs = Ms(step);
            }
            catch (Exception e)
            {
                Fail("open", e);
                tried = 1;
            }
            for (long k = 0; s.Ok && k < maxCalls && !until() && !Volatile.Read(ref stop); k++)
            {
                var op = o.Ops[(int)(k % o.Ops.Count)];
                step = Stopwatch.GetTimestamp();
                tried++;
                try
                {
                    var result = await op.Call(channel);
                    if (!op.Expected(result))
                    {
                        s.Stage = "call";
                        s.ErrorMs = Ms(step);
                        s.ErrorType = "UnexpectedReply";
                        s.Error = new { type = "UnexpectedReply", message = $"{op.Name} returned '{result}', not '{op.Arg}'" };
                        client.Abort();
                        break;
                    }
                    s.Calls.Add(Ms(step));
                }
                catch (Exception e)
                {
                    Fail("call", e);
                }
            }
            if (s.Ok)
            {
                step = Stopwatch.GetTimestamp();
                try
                {
                    await Task.Factory.FromAsync(client.BeginClose, client.EndClose, null);
                    s.CloseMs = Ms(step);
                }
                catch (Exception e)
                {
                    Fail("close", e);
                }
            }
            s.Ms = Ms(t0);
            live.TryRemove(client, out _);
            phase.Tally.Add(s);
            if (phase.Print)
            {
                static double? N(double v) => double.IsNaN(v) ? null : v;
                if (s.Ok) Print(new { lane, session = index, ok = true, openMs = s.OpenMs, calls = s.Calls, closeMs = s.CloseMs, ms = s.Ms });
                else Print(new { lane, session = index, ok = false, openMs = N(s.OpenMs), calls = s.Calls, closeMs = N(s.CloseMs), ms = s.Ms, stage = s.Stage, errorMs = s.ErrorMs, error = s.Error, atDeadline = s.AtDeadline });
            }
            return tried;
        }

        async Task Lane(Phase phase, int lane)
        {
            await Task.Yield();
            if (o.Persistent)
            {
                long left = phase.Calls ?? long.MaxValue;
                while (left > 0 && !phase.TimeUp() && !Volatile.Read(ref stop))
                    left -= await RunSession(phase, lane, Interlocked.Increment(ref phase.Claimed) - 1, left, phase.TimeUp);
                return;
            }
            long calls = o.Calls ?? 1;
            while (!phase.TimeUp() && !Volatile.Read(ref stop))
            {
                long index = Interlocked.Increment(ref phase.Claimed) - 1;
                if (phase.Sessions is { } m && index >= m) break;
                await RunSession(phase, lane, index, calls, () => false);
            }
        }

        Task RunPhase(Phase phase)
        {
            phase.Started = Stopwatch.GetTimestamp();
            phase.CpuAtStart = CpuMs();
            return Task.WhenAll(Enumerable.Range(0, o.Lanes).Select(lane => Lane(phase, lane)));
        }

        // The warm-up runs the same shape for a while, unreported, so that the run measures a client whose
        // code is compiled and whose pools are filled, as a long-running application's are.
        var main = new Phase { DurationMs = o.DurationMs, Sessions = o.Sessions, Calls = o.Calls, Print = !o.Summary };
        async Task All()
        {
            if (o.WarmupMs > 0) await RunPhase(new Phase { DurationMs = o.WarmupMs });
            await RunPhase(main);
        }
        var all = All();
        bool stuck = false;
        try
        {
            // Aborting at the deadline ends every call; the grace covers a lane that still would not end.
            await all.WaitAsync(TimeSpan.FromMilliseconds(deadlineMs + 10_000));
        }
        catch (TimeoutException)
        {
            stuck = true;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"InteropClient load: a lane failed: {e}");
        }
        var tally = main.Tally;
        double wallMs = Ms(main.Started);
        double cpuMs = CpuMs() - main.CpuAtStart;

        object summary;
        lock (tally)
        {
            summary = new
            {
                summary = true,
                binding = Endpoints.Kind(o.Url),
                mode = o.Persistent ? "persistent" : "churn",
                pooled = o.Pooled,
                lanes = o.Lanes,
                callsPerSession = o.Persistent ? null : (long?)(o.Calls ?? 1),
                ops = o.Ops.Select(op => $"{op.Name}:{op.Arg}").ToArray(),
                sessions = new { ok = tally.SessionsOk, failed = tally.SessionsFailed, atDeadline = tally.SessionsAtDeadline, byType = tally.ByType, byStage = tally.ByStage },
                calls = new { ok = tally.CallsOk, failed = tally.CallsFailed },
                warmupMs = o.WarmupMs,
                wallMs,
                sessionsPerSec = tally.SessionsOk / (wallMs / 1000),
                callsPerSec = tally.CallsOk / (wallMs / 1000),
                sessionMs = Spread(tally.SessionMs),
                openMs = Spread(tally.OpenMs),
                callMs = Spread(tally.CallMs),
                cpuMs,
                processCpuMs = CpuMs(),
                pid = Environment.ProcessId,
                deadlineMs,
                deadlineHit,
                stuck,
            };
        }
        Print(summary);
        lock (stdout) stdout.Flush();
        if (stuck) Environment.Exit(0);
        foreach (var f in factories)
        {
            try { if (deadlineHit) f.Abort(); else await Task.Factory.FromAsync(f.BeginClose, f.EndClose, null); }
            catch { f.Abort(); }
        }
        return 0;
    }
}
