//! Bearer-token authentication: a client connecting with
//! `sc://host:15002/;token=T` sends `authorization: Bearer T` with every
//! call. When the server has tokens configured, every call must carry one of
//! them; otherwise it is refused with UNAUTHENTICATED before it reaches the
//! service.

use std::sync::Arc;

use tonic::{Request, Status};

/// Checks the `authorization` header of every call.
#[derive(Clone)]
pub struct TokenCheck {
    tokens: Arc<Vec<String>>,
}

impl TokenCheck {
    pub fn new(tokens: Vec<String>) -> Self {
        Self { tokens: Arc::new(tokens) }
    }

    fn accepts(&self, header: Option<&str>) -> bool {
        if self.tokens.is_empty() {
            return true;
        }
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer "))) else {
            return false;
        };
        // Compare every configured token in full, so timing does not tell
        // how much of a token matched.
        self.tokens.iter().fold(false, |found, t| found | constant_time_eq(t.as_bytes(), token.trim().as_bytes()))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl tonic::service::Interceptor for TokenCheck {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let header = request.metadata().get("authorization").and_then(|v| v.to_str().ok());
        if self.accepts(header) {
            Ok(request)
        } else if header.is_none() {
            Err(Status::unauthenticated("This server requires a bearer token: connect with sc://host:port/;token=..."))
        } else {
            Err(Status::unauthenticated("The bearer token is not valid for this server."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let open = TokenCheck::new(vec![]);
        assert!(open.accepts(None));
        let closed = TokenCheck::new(vec!["s3cret".into(), "other".into()]);
        assert!(!closed.accepts(None));
        assert!(!closed.accepts(Some("Bearer wrong")));
        assert!(!closed.accepts(Some("s3cret")));
        assert!(closed.accepts(Some("Bearer s3cret")));
        assert!(closed.accepts(Some("Bearer other")));
    }
}
