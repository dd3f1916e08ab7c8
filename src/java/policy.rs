//! How a failure inside a native call reaches Java: as `AlbAuthPanicError`, never as a crash.

use jni::errors::ErrorPolicy;
use jni::{jni_str, Env};

/// The message of every `AlbAuthPanicError`.
pub(super) const PANIC_MESSAGE: &str =
    "albauth: internal error (a Rust panic was caught at the JNI \
                             boundary); the request was not authenticated";

/// Throws `io.albauth.AlbAuthPanicError` for a panic or an unexpected JNI failure. The message
/// is fixed: a panic payload can quote the input it choked on, which may be a token.
pub(crate) struct ThrowPanicError;

impl ThrowPanicError {
    pub(super) fn throw(env: &mut Env<'_>, message: &str) -> jni::errors::Result<()> {
        if env.exception_check() {
            return Ok(()); // keep the JVM's own exception (e.g. OutOfMemoryError)
        }
        let class = match env.find_class(jni_str!("io/albauth/AlbAuthPanicError")) {
            Ok(class) => class,
            Err(_) => {
                env.exception_clear();
                env.find_class(jni_str!("java/lang/Error"))?
            }
        };
        match env.throw_new(&class, jni::strings::JNIString::new(message)) {
            Ok(()) | Err(jni::errors::Error::JavaException) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl<T: Default> ErrorPolicy<T, jni::errors::Error> for ThrowPanicError {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: jni::errors::Error,
    ) -> jni::errors::Result<T> {
        Self::throw(env, &format!("albauth: JNI call failed: {err}"))?;
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        _payload: Box<dyn std::any::Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        Self::throw(env, PANIC_MESSAGE)?;
        Ok(T::default())
    }
}
