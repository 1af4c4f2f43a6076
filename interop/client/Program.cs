// The .NET WCF client (System.ServiceModel) the harness's own client and host are held to. Two modes:
//
//   InteropClient URL [--via VIA_URL] [--timeout-ms N] CALL...          one session, one JSON line per step
//   InteropClient load URL [--via VIA_URL] --lanes N ...               many sessions, see Load.cs
//   CALL: echo:TEXT | delay:MS | burn:MS | fault:REASON
//
// URL net.tcp://... uses NetTcpBinding (SecurityMode.None); http://... uses BasicHttpBinding (SOAP 1.1).
// URL is the service address (the To header); --via dials another address, e.g. a sharing host that
// forwards to the service. Exit code of the one-session mode: 0 when every call did what it should (echo
// returns its text, delay and burn return, fault raises a FaultException with its reason), 1 when one did
// not, 2 for bad usage. The load mode exits 0 whenever it ran, whatever the outcomes, and 2 for bad usage.
return args.Length > 0 && args[0] == "load" ? await Load.Run(args[1..]) : await OneSession.Run(args);
