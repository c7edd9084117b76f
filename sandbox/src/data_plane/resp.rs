//! Just enough of RESP (the Redis protocol) for the sandbox: encoding commands, decoding replies
//! for its own admin connection, and recognising the commands clients send through the gateway.
//! Both decoders work on a buffer and report `None` until a whole frame has arrived.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// A decoded server reply. RESP3 types decode as their nearest RESP2 shape: maps, sets and
/// pushes as arrays (a map's keys and values alternate), nulls as a null bulk string, booleans
/// and numbers other than integers as status text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    /// The reply as text, when it is a status or a bulk string.
    pub fn text(&self) -> Option<String> {
        match self {
            Reply::Status(s) => Some(s.clone()),
            Reply::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
}

/// A command in RESP's request form: an array of bulk strings.
pub fn encode<A: AsRef<[u8]>>(args: &[A]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        let arg = arg.as_ref();
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A malformed frame: the peer does not speak RESP.
fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed RESP {what}"))
}

/// The line starting at `at` (without its CRLF) and the offset just past it.
fn line(buf: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let end = buf.get(at..)?.windows(2).position(|w| w == b"\r\n")? + at;
    Some((&buf[at..end], end + 2))
}

fn number(text: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| malformed("length"))
}

/// A bulk string's payload announced by a `$len` header ending at `at`; `None` for `$-1`.
fn bulk(buf: &[u8], len: i64, at: usize) -> Option<(Option<Vec<u8>>, usize)> {
    let Ok(len) = usize::try_from(len) else {
        return Some((None, at));
    };
    let payload = buf.get(at..at + len)?;
    (buf.get(at + len..at + len + 2)? == b"\r\n").then(|| (Some(payload.to_vec()), at + len + 2))
}

/// Decodes one reply from the start of `buf`, with the number of bytes it used.
pub fn parse_reply(buf: &[u8]) -> io::Result<Option<(Reply, usize)>> {
    parse_reply_at(buf, 0)
}

fn parse_reply_at(buf: &[u8], at: usize) -> io::Result<Option<(Reply, usize)>> {
    let Some((head, next)) = line(buf, at) else {
        return Ok(None);
    };
    let (kind, rest) = head.split_first().ok_or_else(|| malformed("reply"))?;
    let text = || String::from_utf8_lossy(rest).into_owned();
    Ok(match kind {
        b'+' | b'#' | b',' | b'(' => Some((Reply::Status(text()), next)),
        b'_' => Some((Reply::Bulk(None), next)),
        b'-' => Some((Reply::Error(text()), next)),
        b':' => Some((Reply::Integer(number(rest)?), next)),
        b'$' | b'=' => bulk(buf, number(rest)?, next).map(|(b, end)| (Reply::Bulk(b), end)),
        b'*' | b'~' | b'>' | b'%' => {
            let Ok(count) = usize::try_from(number(rest)?) else {
                return Ok(Some((Reply::Array(None), next)));
            };
            let count = if *kind == b'%' { count * 2 } else { count };
            let mut items = Vec::with_capacity(count.min(64));
            let mut at = next;
            for _ in 0..count {
                let Some((item, end)) = parse_reply_at(buf, at)? else {
                    return Ok(None);
                };
                items.push(item);
                at = end;
            }
            Some((Reply::Array(Some(items)), at))
        }
        _ => return Err(malformed("reply")),
    })
}

/// Decodes one client request from the start of `buf`: its arguments and the bytes it used.
/// Clients send arrays of bulk strings; a line not starting with `*` is an inline command.
pub fn parse_request(buf: &[u8]) -> io::Result<Option<(Vec<Vec<u8>>, usize)>> {
    let Some((head, next)) = line(buf, 0) else {
        return Ok(None);
    };
    let Some(count) = head.strip_prefix(b"*") else {
        let args = head
            .split(|b| b.is_ascii_whitespace())
            .filter(|a| !a.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        return Ok(Some((args, next)));
    };
    let count = usize::try_from(number(count)?).unwrap_or(0);
    let mut args = Vec::with_capacity(count.min(64));
    let mut at = next;
    for _ in 0..count {
        let Some((header, after)) = line(buf, at) else {
            return Ok(None);
        };
        let len = header
            .strip_prefix(b"$")
            .ok_or_else(|| malformed("request"))?;
        let Some((arg, end)) = bulk(buf, number(len)?, after) else {
            return Ok(None);
        };
        args.push(arg.unwrap_or_default());
        at = end;
    }
    Ok(Some((args, at)))
}

/// A RESP2 connection to a server, used by the sandbox to administer its Redis processes.
pub struct Connection<S> {
    stream: S,
    buf: Vec<u8>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    pub fn new(stream: S) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends a command and waits for its reply; an error reply is a reply, not an `Err`.
    pub async fn call<A: AsRef<[u8]>>(&mut self, args: &[A]) -> io::Result<Reply> {
        self.stream.write_all(&encode(args)).await?;
        self.read().await
    }

    /// Waits for the next frame the server sends, such as a pub/sub message.
    pub async fn read(&mut self) -> io::Result<Reply> {
        loop {
            if let Some((reply, used)) = parse_reply(&self.buf)? {
                self.buf.drain(..used);
                return Ok(reply);
            }
            let mut chunk = [0u8; 8192];
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_through_encode_and_parse() {
        let wire = encode(&["AUTH", "user", "pass word"]);
        let (args, used) = parse_request(&wire).unwrap().unwrap();
        assert_eq!(
            args,
            vec![b"AUTH".to_vec(), b"user".to_vec(), b"pass word".to_vec()]
        );
        assert_eq!(used, wire.len());
    }

    #[test]
    fn a_partial_request_waits_for_more_bytes() {
        let wire = encode(&["SET", "k", "value"]);
        for cut in 0..wire.len() {
            assert_eq!(parse_request(&wire[..cut]).unwrap(), None, "cut at {cut}");
        }
    }

    #[test]
    fn pipelined_requests_parse_one_at_a_time() {
        let mut wire = encode(&["PING"]);
        wire.extend(encode(&["GET", "k"]));
        let (first, used) = parse_request(&wire).unwrap().unwrap();
        assert_eq!(first, vec![b"PING".to_vec()]);
        let (second, _) = parse_request(&wire[used..]).unwrap().unwrap();
        assert_eq!(second, vec![b"GET".to_vec(), b"k".to_vec()]);
    }

    #[test]
    fn inline_commands_split_on_spaces() {
        let (args, used) = parse_request(b"AUTH  alice secret\r\nPING")
            .unwrap()
            .unwrap();
        assert_eq!(
            args,
            vec![b"AUTH".to_vec(), b"alice".to_vec(), b"secret".to_vec()]
        );
        assert_eq!(used, 20);
    }

    #[test]
    fn nested_replies_decode() {
        let wire = b"*3\r\n$7\r\nmessage\r\n$-1\r\n*2\r\n:5\r\n-ERR no\r\n+tail";
        let (reply, used) = parse_reply(wire).unwrap().unwrap();
        assert_eq!(
            reply,
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"message".to_vec())),
                Reply::Bulk(None),
                Reply::Array(Some(vec![Reply::Integer(5), Reply::Error("ERR no".into())])),
            ]))
        );
        assert_eq!(&wire[used..], b"+tail");
    }

    #[test]
    fn resp3_maps_and_pushes_decode_as_arrays() {
        let (reply, _) = parse_reply(b"%1\r\n+proto\r\n:3\r\n").unwrap().unwrap();
        assert_eq!(
            reply,
            Reply::Array(Some(vec![Reply::Status("proto".into()), Reply::Integer(3)]))
        );
        let (reply, _) = parse_reply(b">2\r\n$7\r\nmessage\r\n_\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            reply,
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"message".to_vec())),
                Reply::Bulk(None)
            ]))
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_wait() {
        assert!(parse_request(b"*x\r\n").is_err());
        assert!(parse_reply(b"?\r\n").is_err());
    }
}
