//! The uppercase echo server of `examples/echo_server.rs` on loopback, driven as its users
//! would: start it on 127.0.0.1:0, run many clients at once and check every reply, close an
//! idle connection with the server's timer, stop it, and check it left no thread and no
//! listener behind. Real sockets and real threads: production build only (its protocol is
//! checked under loom and shuttle as `tutorial/echo_serves_every_accepted_connection`).
//!
//! One test, so no other test's threads share the registry `active_count` reads. No timing
//! assertion: every loop is bounded and every socket operation has a generous timeout, so a
//! broken server fails the test instead of hanging it.
#![cfg(not(any(loom, feature = "shuttle")))]

#[path = "../examples/echo_server.rs"]
mod echo_server;

use echo_server::{Config, Server, Stats};
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;
use threadcheck::thread;

const CLIENTS: usize = 64;
const LINES: usize = 8;
/// Long enough for any loaded machine; only a hung server reaches it.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(60);

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, SOCKET_TIMEOUT)?;
    s.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    s.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    Ok(s)
}

/// Client `i`: sends `LINES` lines (mixed case, non-ASCII too), reads each reply, and checks
/// it is that line in upper case; then closes and expects the server's end of stream.
fn client(addr: SocketAddr, i: usize) -> io::Result<usize> {
    let stream = connect(addr)?;
    let mut reader = BufReader::new(&stream);
    for j in 0..LINES {
        let line = format!("client {i} line {j}: hello, straße ünd ß\n");
        (&stream).write_all(line.as_bytes())?;
        let mut reply = String::new();
        let n = reader.read_line(&mut reply)?;
        assert!(
            n > 0,
            "client {i}: the server closed before replying to line {j}"
        );
        assert_eq!(reply, line.to_uppercase(), "client {i}, line {j}");
    }
    stream.shutdown(std::net::Shutdown::Write)?;
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    assert!(rest.is_empty(), "client {i}: unasked-for bytes {rest:?}");
    Ok(LINES)
}

#[test]
fn echo_server_answers_every_client_then_stops_with_nothing_left_behind() {
    let baseline = thread::enumerate();
    // Idle connections are closed only after SOCKET_TIMEOUT here: a client thread the machine
    // has not scheduled for a while must not lose its connection.
    let config = Config {
        workers: 8,
        idle: SOCKET_TIMEOUT,
        poll: Duration::from_millis(5),
    };
    let server = Server::start("127.0.0.1:0", config).expect("bind 127.0.0.1:0");
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(
        thread::active_count(),
        baseline.len() + 1 + config.workers,
        "the acceptor and the workers are running"
    );

    // CLIENTS clients at once, more than the workers: most wait in the listener's backlog or
    // the hand-off queue while the others are served.
    let echoed: usize = std::thread::scope(|s| {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|i| s.spawn(move || client(addr, i)))
            .collect();
        clients
            .into_iter()
            .enumerate()
            .map(|(i, c)| match c.join() {
                Ok(Ok(n)) => n,
                Ok(Err(e)) => panic!("client {i}: {e}"),
                Err(p) => std::panic::resume_unwind(p),
            })
            .sum()
    });
    assert_eq!(echoed, CLIENTS * LINES);

    let stats = server.stop().expect("stop");
    assert_eq!(
        stats,
        Stats {
            connections: CLIENTS,
            lines: CLIENTS * LINES,
        }
    );
    assert_listener_closed(addr);

    // A second server, whose idle timer is short, and a client that connects and sends
    // nothing: the timer closes the connection, so the read ends with end of stream (not
    // after SOCKET_TIMEOUT with an error).
    let quick = Server::start(
        "127.0.0.1:0",
        Config {
            workers: 1,
            idle: Duration::from_millis(50),
            poll: Duration::from_millis(5),
        },
    )
    .expect("bind 127.0.0.1:0");
    let idle = connect(quick.local_addr()).unwrap();
    let mut rest = Vec::new();
    match (&idle).read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "unasked-for bytes {rest:?}"),
        // A socket shut down under a read may also report a reset.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the idle connection was not closed by the server: {e}"),
    }
    let quick_addr = quick.local_addr();
    assert_eq!(
        quick.stop().expect("stop"),
        Stats {
            connections: 1,
            lines: 0
        }
    );
    assert_listener_closed(quick_addr);

    assert_eq!(
        thread::enumerate(),
        baseline,
        "a thread a server started is still alive"
    );
    assert_eq!(thread::active_count(), baseline.len());
}

fn assert_listener_closed(addr: SocketAddr) {
    match TcpStream::connect_timeout(&addr, SOCKET_TIMEOUT) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}"),
        Ok(_) => panic!("the listener on {addr} still accepts connections"),
    }
}
