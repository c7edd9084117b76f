//! Just enough HTTP/1.1 for a static host: request heads in, responses with a length out.
//! Request bodies are never read, so a request announcing one ends its connection.

use std::io::{self, BufRead, Read, Write};

/// Browsers send a few hundred bytes; a longer head is refused.
const MAX_HEAD: u64 = 64 * 1024;

/// What the host needs of a request.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub accept_encoding: Option<String>,
    /// Whether the connection may carry another request after this one's answer.
    pub keep_alive: bool,
}

/// Reads the next request head: `None` when the client closed the connection between
/// requests, an `InvalidData` error when it sent something that is not an HTTP/1 request.
pub fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut head = reader.take(MAX_HEAD);
    let mut line = String::new();
    if head.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(malformed("HTTP version"));
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        accept_encoding: None,
        keep_alive: version == "HTTP/1.1",
    };
    loop {
        let mut field = String::new();
        if head.read_line(&mut field)? == 0 {
            return Err(malformed("head: cut short or too long"));
        }
        let field = field.trim_end_matches(['\r', '\n']);
        if field.is_empty() {
            return Ok(Some(request));
        }
        let (name, value) = field.split_once(':').ok_or_else(|| malformed("header"))?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "accept-encoding" => {
                request.accept_encoding = Some(match request.accept_encoding.take() {
                    Some(earlier) => format!("{earlier}, {value}"),
                    None => value.to_owned(),
                })
            }
            "connection" if has_token(value, "close") => request.keep_alive = false,
            "content-length" if value != "0" => request.keep_alive = false,
            "transfer-encoding" => request.keep_alive = false,
            _ => {}
        }
    }
}

/// Writes a response of `length` bytes from `body`; a HEAD request gets the head alone.
/// `request` is `None` for an answer to something that was no request: the connection closes.
pub fn write_response(
    out: &mut impl Write,
    status: u16,
    headers: &[(String, String)],
    body: impl Read,
    length: u64,
    request: Option<&Request>,
) -> io::Result<()> {
    write!(out, "HTTP/1.1 {status} {}\r\n", reason(status))?;
    for (name, value) in headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    write!(out, "Content-Length: {length}\r\n")?;
    if !request.is_some_and(|request| request.keep_alive) {
        write!(out, "Connection: close\r\n")?;
    }
    write!(out, "\r\n")?;
    if request.is_none_or(|request| request.method != "HEAD") {
        let sent = io::copy(&mut body.take(length), out)?;
        if sent < length {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while being sent",
            ));
        }
    }
    out.flush()
}

fn has_token(list: &str, token: &str) -> bool {
    list.split(',')
        .any(|item| item.trim().eq_ignore_ascii_case(token))
}

fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed {what}"))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        // The reason phrase is optional.
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::{Request, read_request, write_response};

    fn read(text: &str) -> std::io::Result<Option<Request>> {
        read_request(&mut text.as_bytes())
    }

    #[test]
    fn a_browser_request_keeps_its_connection() {
        let request = read(
            "GET /a?b HTTP/1.1\r\nHost: x\r\naccept-encoding: gzip\r\nAccept-Encoding: br\r\n\r\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            request,
            Request {
                method: "GET".into(),
                target: "/a?b".into(),
                accept_encoding: Some("gzip, br".into()),
                keep_alive: true,
            }
        );
    }

    #[test]
    fn close_http_1_0_and_unread_bodies_end_the_connection() {
        for head in [
            "GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert!(!read(head).unwrap().unwrap().keep_alive, "{head}");
        }
    }

    #[test]
    fn pipelined_requests_are_read_one_after_the_other() {
        let mut stream = "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\n\n".as_bytes();
        let first = read_request(&mut stream).unwrap().unwrap();
        let second = read_request(&mut stream).unwrap().unwrap();
        assert_eq!(
            (first.target.as_str(), second.method.as_str()),
            ("/1", "HEAD")
        );
        assert!(read_request(&mut stream).unwrap().is_none());
    }

    #[test]
    fn what_is_not_http_1_is_invalid_data() {
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(70_000));
        for head in [
            "PRI * HTTP/2.0\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\n",
            &long,
        ] {
            let err = read(head).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{head:.40}");
        }
    }

    #[test]
    fn responses_carry_their_length_and_head_gets_no_body() {
        let headers = [("Content-Type".to_owned(), "text/plain".to_owned())];
        let head = read("HEAD / HTTP/1.1\r\n\r\n").unwrap();
        let mut out = Vec::new();
        write_response(
            &mut out,
            200,
            &headers,
            "hello".as_bytes(),
            5,
            head.as_ref(),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
        );
        let mut out = Vec::new();
        write_response(&mut out, 400, &[], "bad".as_bytes(), 3, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad"
        );
    }
}
