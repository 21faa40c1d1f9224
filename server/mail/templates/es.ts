/** The messages in Spanish. */
import type { TemplateText } from './template-text.ts';

export const es: TemplateText = {
  greeting: 'Estimado/a ({name}):',
  invitation: {
    subject: 'Invitación: {survey}',
    intro: [
      'Le invitamos a responder al cuestionario «{survey}» de la evaluación del Foro Mundial sobre Migración y Desarrollo (FMMD).',
      'El enlace siguiente es suyo: abre su cuestionario, donde puede guardar sus respuestas y volver a ellas antes de enviarlas. Los colegas de su organización pueden usar el mismo enlace.',
    ],
  },
  reminder: {
    subject: 'Recordatorio: {survey}',
    intro: ['Aún no hemos recibido sus respuestas al cuestionario «{survey}». Su enlace siguiente lo abre donde lo dejó.'],
  },
  reminderAmended: {
    subject: 'Recordatorio: sus cambios en «{survey}» no están enviados',
    intro: [
      'Usted cambió sus respuestas al cuestionario «{survey}» después de enviarlas y no las ha vuelto a enviar: los cambios solo cuentan una vez enviados. Su enlace siguiente abre el cuestionario.',
    ],
  },
  lostLink: {
    subject: 'Su enlace a «{survey}»',
    intro: ['Usted pidió el enlace al cuestionario «{survey}». Aquí lo tiene; es el mismo enlace que antes, y los enlaces de sus colegas siguen funcionando.'],
  },
  linkLabel: 'Su enlace:',
  noLink: 'Utilice el enlace que recibió con su invitación.',
  deadline: 'Se aceptan respuestas hasta el {closes}.',
  usage:
    'Sus respuestas las lee el Equipo de Evaluación del FMMD para su informe al Diálogo de Alto Nivel de las Naciones Unidas sobre la Migración Internacional y el Desarrollo; las cifras solo se publican de formas que no le identifican, y las citas solo sin nombres.',
  contact: '¿Preguntas, o un enlace que no funciona? Escriba a {contact}.',
  contactNone: '¿Preguntas, o un enlace que no funciona? Responda a este mensaje.',
  signature: 'El Equipo de Evaluación del FMMD',
};
