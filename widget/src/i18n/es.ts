/** Spanish messages, typed against the English keys: a missing key does not compile. */
import type { Messages } from './en.ts';

const es: Messages = {
  'status.loading': 'Cargando la petición…',
  'status.searching': 'Buscando…',
  'status.locating': 'Buscando tu ubicación…',
  retry: 'Intentar de nuevo',

  'error.title': 'Algo salió mal',
  'error.config': 'Esta petición todavía no se puede mostrar aquí. Quien administra el sitio debe revisar el código de inserción.',
  'error.network': 'No pudimos conectar con el servidor de la petición. Revisa tu conexión e inténtalo de nuevo.',
  'error.not_found': 'No encontramos esta petición. Es posible que se haya movido o cerrado.',
  'error.place_not_found': 'No encontramos ese lugar. Prueba con un código postal de 5 dígitos o «Ciudad, ST».',
  'error.rate_limited': 'Demasiados intentos en poco tiempo. Espera un minuto y vuelve a intentarlo.',
  'error.validation_failed': 'Revisa los campos señalados.',
  'error.forbidden_origin': 'Este sitio todavía no tiene permiso para recoger firmas para esta petición.',
  'error.generic': 'Algo falló de nuestro lado. Inténtalo de nuevo.',
  'geo.denied': 'No se permitió el acceso a tu ubicación. Escribe tu código postal o tu ciudad.',
  'geo.unavailable': 'No pudimos obtener tu ubicación. Escribe tu código postal o tu ciudad.',

  'effort.progress': {
    one: '{count} de {goal} firmas en {campaigns} campaña local',
    other: '{count} de {goal} firmas en {campaigns} campañas locales',
  },
  'finder.title': 'Encuentra tu campaña local',
  'finder.label': 'Código postal o ciudad',
  'finder.placeholder': '60076',
  'finder.submit': 'Buscar',
  'finder.locate': 'Usar mi ubicación',
  'finder.required': 'Escribe un código postal o una ciudad.',
  'results.title': 'Campañas locales cerca de {place}',
  'results.empty': 'Todavía no hay ninguna campaña local cerca de {place}.',
  'results.count': { one: '{n} campaña local cerca de {place}.', other: '{n} campañas locales cerca de {place}.' },
  'results.others': 'Las campañas locales más cercanas en otros lugares',
  'results.open': 'Leer y firmar',
  'results.closest': 'La más cercana',
  'results.didYouMean': '¿Buscabas otro lugar?',
  'results.some': 'Campañas locales para firmar',
  'results.more': 'Mostrar más campañas locales ({n})',
  'results.notYours': '¿No es tu ciudad?',
  'awaiting.title': 'Autoridades aún sin campaña local',
  'awaiting.none': 'Aún no hay campaña para {target}.',
  'awaiting.start': 'Inicia una',
  'start.here': 'Inicia una campaña local para {place}',

  'campaign.progress': '{count} de {goal} firmas',
  'campaign.creator': 'Creada por {name}',
  'campaign.target': 'Dirigida a: {target}',
  'campaign.back': 'Volver a todas las campañas',
  'campaign.signers': 'Firmas recientes',
  'body.more': 'Leer más',
  'body.less': 'Mostrar menos',
  'distance.text': '{distance} km',

  'form.submitting': 'Firmando…',
  'form.errors': { one: 'Hay {n} campo que revisar.', other: 'Hay {n} campos que revisar.' },

  'thanks.title': '¡Gracias por firmar!',
  'thanks.checkEmail': 'Revisa tu correo para confirmar: enviamos un enlace a la dirección que diste, salvo que ya esté confirmada.',

  'delivered.body': 'Tu firma guardada antes en este dispositivo ya fue entregada. ¡Gracias por firmar!',
  'queued.title': 'Tu firma está guardada',
  'queued.body':
    'No pudimos conectar con el servidor, así que tu firma se guardó en este dispositivo. Se enviará sola cuando vuelva la conexión, ahora o la próxima vez que abras una página con esta petición.',
  'queued.privacy': 'Solo se guarda en este dispositivo hasta que se entregue.',
};

export default es;
