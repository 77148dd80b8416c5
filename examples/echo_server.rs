//! The tutorial's uppercase echo server, on loopback: each line a client sends comes back in
//! upper case.
//!
//! One `acceptor` thread polls a non-blocking `TcpListener` and hands each connection to a
//! pool of workers through a bounded `Queue`; an `Event` stops it; a `Timer` per connection,
//! re-armed at every line, closes a connection left idle. Stopping is graceful: the acceptor
//! stops accepting, closes the listener and — after its last hand-off — shuts the queue
//! down; the workers serve what was accepted, then end. The protocol is the corpus model
//! `tutorial/echo_serves_every_accepted_connection` (`models/src/tutorial.rs`), checked under
//! loom and shuttle with the sockets replaced by queues; its bug twin
//! `tutorial/echo_stop_drops_last_connection` shuts the queue down from `stop()` instead.
//!
//! ```text
//! cargo run --example echo_server               # a demo: start, 8 clients, stop
//! cargo run --example echo_server -- --serve 127.0.0.1:7878   # serve until Enter
//! ```
//! then, for `--serve`, e.g. `nc 127.0.0.1 7878`.
//!
//! `tests/echo_server.rs` includes this file and drives [`Server`] with 50 clients.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use threadcheck::thread::{Builder, JoinHandle};
use threadcheck::{Event, Queue, Timer};

/// How the server runs.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Worker threads serving connections.
    pub workers: usize,
    /// A connection with no line for this long is closed.
    pub idle: Duration,
    /// How long the acceptor sleeps on the stop event when there is nothing to accept.
    pub poll: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            workers: 8,
            idle: Duration::from_secs(30),
            poll: Duration::from_millis(5),
        }
    }
}

/// What a server did, returned by [`Server::stop`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Connections accepted (each one served by a worker).
    pub connections: usize,
    /// Lines echoed.
    pub lines: usize,
}

/// A running echo server.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<Event>,
    acceptor: JoinHandle<io::Result<usize>>,
    workers: Vec<JoinHandle<()>>,
    lines: Arc<AtomicUsize>,
}

impl Server {
    /// Binds `addr` (give port 0 for any free port) and starts serving.
    pub fn start(addr: &str, config: Config) -> io::Result<Server> {
        assert!(config.workers > 0, "a server needs at least one worker");
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(Event::named("stop"));
        let handoff: Arc<Queue<TcpStream>> = Arc::new(Queue::named("handoff", config.workers));
        let lines = Arc::new(AtomicUsize::new(0));

        let workers = (1..=config.workers)
            .map(|i| {
                let (handoff, lines) = (handoff.clone(), lines.clone());
                Builder::new().name(format!("worker-{i}")).spawn(move || {
                    while let Ok(stream) = handoff.get() {
                        match serve(stream, config.idle) {
                            Ok(n) => {
                                lines.fetch_add(n, Ordering::Relaxed);
                            }
                            Err(e) => eprintln!("echo_server: a connection failed: {e}"),
                        }
                    }
                })
            })
            .collect();
        let acceptor = {
            let stop = stop.clone();
            Builder::new()
                .name("acceptor")
                .spawn(move || accept(listener, &handoff, &stop, config.poll))
        };
        Ok(Server {
            addr,
            stop,
            acceptor,
            workers,
            lines,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes the listener, lets the workers finish the connections already
    /// accepted (a client that stays connected is closed by its idle timer), and waits for
    /// every thread the server started.
    pub fn stop(self) -> io::Result<Stats> {
        self.stop.set();
        let connections = self.acceptor.join().expect("the acceptor panicked")?;
        for w in self.workers {
            w.join().expect("a worker panicked");
        }
        Ok(Stats {
            connections,
            lines: self.lines.load(Ordering::Relaxed),
        })
    }
}

/// The acceptor's loop; returns how many connections it handed off.
fn accept(
    listener: TcpListener,
    handoff: &Queue<TcpStream>,
    stop: &Event,
    poll: Duration,
) -> io::Result<usize> {
    let mut accepted = 0;
    let result = loop {
        match listener.accept() {
            Ok((stream, _peer)) => {
                // Some platforms pass the listener's non-blocking mode on; the workers block.
                if let Err(e) = stream.set_nonblocking(false) {
                    break Err(e);
                }
                accepted += 1;
                // Only this thread shuts `handoff` down, so the put cannot fail: an accepted
                // connection is never dropped (the model's bug twin is what happens if it can).
                handoff
                    .put(stream)
                    .expect("the hand-off queue is shut down only by the acceptor");
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if stop.wait_timeout(poll) {
                    break Ok(accepted);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // E.g. a client that reset before its accept, or out of descriptors: keep serving.
            Err(e) => {
                eprintln!("echo_server: accept failed: {e}");
                if stop.wait_timeout(poll) {
                    break Ok(accepted);
                }
            }
        }
    };
    drop(listener); // new clients are refused from here on
    handoff.shutdown(false); // after the last hand-off: the workers drain, then end
    result
}

/// Echoes `stream`'s lines in upper case until the client closes it or it stays idle for
/// `idle`; returns how many lines it echoed.
fn serve(stream: TcpStream, idle: Duration) -> io::Result<usize> {
    let stream = Arc::new(stream);
    let mut reader = BufReader::new(&*stream);
    let mut writer = &*stream;
    let mut line = String::new();
    let mut echoed = 0;
    loop {
        let timer = close_when_idle(Arc::downgrade(&stream), idle);
        line.clear();
        let read = reader.read_line(&mut line);
        timer.cancel();
        // EOF: the client closed, or the idle timer shut the socket down.
        if read? == 0 {
            return Ok(echoed);
        }
        writer.write_all(line.to_uppercase().as_bytes())?;
        echoed += 1;
    }
}

/// A timer that shuts the connection down after `idle`, unless cancelled first. It holds the
/// stream weakly: a connection that has ended is closed at once, not when the timer would
/// have fired. (A cancelled timer leaves the timer service's heap at its deadline: one small
/// entry per line echoed, for `idle`.)
fn close_when_idle(stream: Weak<TcpStream>, idle: Duration) -> Timer {
    Timer::after(idle, move || {
        if let Some(s) = stream.upgrade() {
            let _ = s.shutdown(Shutdown::Both);
        }
    })
}

/// One client: sends `lines`, and returns the replies.
#[allow(dead_code)] // the test has its own clients
fn client(addr: SocketAddr, lines: &[String]) -> io::Result<Vec<String>> {
    let stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(&stream);
    let mut replies = Vec::new();
    for l in lines {
        (&stream).write_all(format!("{l}\n").as_bytes())?;
        let mut reply = String::new();
        reader.read_line(&mut reply)?;
        replies.push(reply.trim_end().to_owned());
    }
    Ok(replies)
}

#[allow(dead_code)] // included by tests/echo_server.rs, which has its own main
fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, addr] = &args[..] {
        if flag == "--serve" {
            let loopback = addr
                .parse::<SocketAddr>()
                .is_ok_and(|a| a.ip().is_loopback());
            if !loopback {
                eprintln!(
                    "echo_server: serves loopback addresses only (127.0.0.1:PORT, [::1]:PORT)"
                );
                std::process::exit(2);
            }
            let server = Server::start(addr, Config::default())?;
            println!("serving on {}; press Enter to stop", server.local_addr());
            io::stdin().lock().read_line(&mut String::new())?;
            println!("{:?}", server.stop()?);
            return Ok(());
        }
    }
    if !args.is_empty() {
        eprintln!("usage: echo_server [--serve 127.0.0.1:PORT]");
        std::process::exit(2);
    }
    let server = Server::start("127.0.0.1:0", Config::default())?;
    let addr = server.local_addr();
    println!("serving on {addr}");
    let clients: Vec<_> = (1..=8)
        .map(|i| {
            std::thread::spawn(move || {
                let lines: Vec<String> = (1..=3).map(|j| format!("client {i}, line {j}")).collect();
                client(addr, &lines)
            })
        })
        .collect();
    for c in clients {
        for reply in c.join().expect("a client panicked")? {
            println!("{reply}");
        }
    }
    let stats = server.stop()?;
    println!(
        "stopped: {} connections, {} lines",
        stats.connections, stats.lines
    );
    Ok(())
}
